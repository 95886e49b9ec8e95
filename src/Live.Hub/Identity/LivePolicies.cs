using Live.Contracts;

namespace Live.Hub.Identity;

/// <summary>
/// Who may call what, by name: REST route groups declare it with <c>RequireAuthorization(LivePolicies.Host)</c>, hub
/// methods with <see cref="HubPolicyAttribute"/>. The grains still decide what is this caller's (their own room, their
/// own sale); these policies only decide which role may ask.
/// </summary>
public static class LivePolicies
{
    /// <summary>Any signed-in caller, whatever the role.</summary>
    public const string User = "user";

    /// <summary>Role <c>host</c>: products, rooms, sales, moderators.</summary>
    public const string Host = "host";

    /// <summary>Role <c>host</c> or <c>moderator</c>: the moderation calls (the room grain checks it is their room).</summary>
    public const string Staff = "staff";

    /// <summary>Role <c>operator</c>: sellers' brand licences, metrics, the dashboard, the OpenAPI document.</summary>
    public const string Operator = "operator";

    public static IServiceCollection AddLivePolicies(this IServiceCollection services)
    {
        services.AddAuthorizationBuilder()
            .AddPolicy(User, p => p.RequireAuthenticatedUser().RequireClaim(LiveUser.SubjectClaim))
            .AddPolicy(Host, p => p.RequireAuthenticatedUser().RequireClaim(LiveUser.SubjectClaim).RequireRole(Roles.Host))
            .AddPolicy(Staff, p => p.RequireAuthenticatedUser().RequireClaim(LiveUser.SubjectClaim).RequireRole(Roles.Host, Roles.Moderator))
            .AddPolicy(Operator, p => p.RequireAuthenticatedUser().RequireClaim(LiveUser.SubjectClaim).RequireRole(Roles.Operator));
        return services;
    }
}
