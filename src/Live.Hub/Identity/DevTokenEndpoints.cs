using Live.Contracts;

namespace Live.Hub.Identity;

/// <summary>Tokens for any user and role, on request: only the embedded development mode serves them.</summary>
internal static class DevTokenEndpoints
{
    public static IEndpointRouteBuilder MapDevTokens(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/dev/token", (DevTokenRequest body, TokenIssuer issuer) =>
        {
            Ids.Require(body.UserId, "userId");
            var name = TextRules.Require(body.DisplayName, "displayName", 50);
            if (!Roles.IsKnown(body.Role))
            {
                throw LiveException.Invalid("role must be viewer, host, moderator or operator");
            }

            return new DevTokenResponse(issuer.Issue(body.UserId!, name, body.Role!));
        }).WithTags("Development").AllowAnonymous();
        return app;
    }
}
