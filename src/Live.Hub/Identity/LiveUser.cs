using System.Reflection;
using System.Security.Claims;
using Live.Contracts;

namespace Live.Hub.Identity;

/// <summary>
/// The caller as its token says: <c>sub</c>, <c>name</c>, <c>role</c>. The name comes from whoever issued the token
/// (an external identity provider, the shop's login), so it passes the same text rules as chat before anyone sees it:
/// a token whose name breaks them is refused with <c>invalid_argument</c>, not shown, not silently replaced.
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
