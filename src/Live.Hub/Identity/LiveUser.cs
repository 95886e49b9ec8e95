using System.Reflection;
using System.Security.Claims;
using Live.Contracts;

namespace Live.Hub.Identity;

/// <summary>
/// The caller as its token says: <c>sub</c>, <c>name</c>, <c>role</c>. The name comes from whoever issued the token
/// (an external identity provider, the shop's login), so it passes the same text rules as chat before anyone sees it:
/// a token whose name breaks them is refused with <c>invalid_argument</c>, not shown, not silently replaced. So is a
/// token whose subject is not 1 to <see cref="Ids.MaxUserIdLength"/> printable ASCII characters.
/// </summary>
public sealed record LiveUser(string UserId, string DisplayName, string Role)
{
    public const string SubjectClaim = "sub";
    public const string NameClaim = "name";
    public const string RoleClaim = "role";

    /// <summary>As long as a chat display name may be (the dev token endpoint uses the same bound).</summary>
    public const int MaxDisplayName = 50;

    public Caller ToCaller() => new() { UserId = UserId, DisplayName = DisplayName };

    /// <summary>The caller, or null when anonymous; <c>invalid_argument</c> when the token's name breaks the text rules.</summary>
    public static LiveUser? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true || principal.FindFirstValue(SubjectClaim) is not { Length: > 0 } id)
        {
            return null;
        }

        // Every id a user is addressed by elsewhere (moderation, sellers, carts and orders) follows the same rule, so a
        // subject that breaks it is refused here rather than leaving a user nobody can mute, ban or license.
        if (!Ids.IsWellFormed(id, Ids.MaxUserIdLength))
        {
            throw LiveException.Invalid($"the token's subject (sub claim) must be 1 to {Ids.MaxUserIdLength} printable ASCII characters");
        }

        var name = principal.FindFirstValue(NameClaim);
        var displayName = string.IsNullOrWhiteSpace(name) ? id : TextRules.Require(name, "the token's display name (name claim)", MaxDisplayName);
        return new LiveUser(id, displayName, principal.FindFirstValue(RoleClaim) ?? Roles.Viewer);
    }

    /// <summary>The caller, or <c>unauthenticated</c>.</summary>
    public static LiveUser Require(ClaimsPrincipal? principal) =>
        From(principal) ?? throw LiveException.Unauthenticated("a bearer token is required");

    /// <summary>
    /// Binds a handler's <see cref="LiveUser"/> parameter; the route group's policy has already admitted the caller.
    /// </summary>
    public static ValueTask<LiveUser?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<LiveUser?>(Require(context.User));
}
