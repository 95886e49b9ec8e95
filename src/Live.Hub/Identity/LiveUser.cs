using System.Security.Claims;
using Live.Contracts;

namespace Live.Hub.Identity;

/// <summary>The caller as its token says: <c>sub</c>, <c>name</c>, <c>role</c>.</summary>
public sealed record LiveUser(string UserId, string DisplayName, string Role)
{
    public const string SubjectClaim = "sub";
    public const string NameClaim = "name";
    public const string RoleClaim = "role";

    public Caller ToCaller() => new() { UserId = UserId, DisplayName = DisplayName };

    public static LiveUser? From(ClaimsPrincipal? principal)
    {
        if (principal?.Identity?.IsAuthenticated != true || principal.FindFirstValue(SubjectClaim) is not { Length: > 0 } id)
        {
            return null;
        }

        var name = principal.FindFirstValue(NameClaim);
        return new LiveUser(id, string.IsNullOrWhiteSpace(name) ? id : name, principal.FindFirstValue(RoleClaim) ?? Roles.Viewer);
    }

    /// <summary>The caller, or <c>unauthenticated</c>.</summary>
    public static LiveUser Require(ClaimsPrincipal? principal) =>
        From(principal) ?? throw LiveException.Unauthenticated("a bearer token is required");

    /// <summary>The caller with <paramref name="role"/>, or <c>unauthenticated</c> / <c>forbidden</c>.</summary>
    public static LiveUser RequireRole(ClaimsPrincipal? principal, string role)
    {
        var user = Require(principal);
        return user.Role == role ? user : throw LiveException.Forbidden($"role {role} is required");
    }
}
