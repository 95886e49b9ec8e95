using Live.Contracts;

namespace Live.Hub.Identity;

/// <summary>
/// Tokens for any user and role, on request, to anyone: only the Development environment serves them (the README's
/// run command), with the development key; <see cref="LiveAuthOptionsValidator"/> refuses to start otherwise.
/// </summary>
internal static class DevTokenEndpoints
{
    public static RouteGroupBuilder MapDevTokens(this RouteGroupBuilder api)
    {
        api.MapPost("/dev/token", (DevTokenRequest body, TokenIssuer issuer) =>
        {
            Ids.Require(body.UserId, "userId");
            var name = TextRules.Require(body.DisplayName, "displayName", LiveUser.MaxDisplayName);
            if (!Roles.IsKnown(body.Role))
            {
                throw LiveException.Invalid("role must be viewer, host, moderator or operator");
            }

            return new DevTokenResponse(issuer.Issue(body.UserId!, name, body.Role!));
        }).WithTags("Development").AllowAnonymous();
        return api;
    }
}
