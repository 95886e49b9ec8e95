using Live.Contracts;
using Live.Hub.Api;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Infrastructure;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Live.Hub.Identity;

/// <summary>
/// A refused policy answers as every other refusal does: 401 <c>unauthenticated</c> or 403 <c>forbidden</c> problem
/// details (the framework's default is an empty 401/403). Runs before the endpoint, so no body is read.
/// </summary>
internal sealed class ProblemAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Challenged)
        {
            await LiveProblems.WriteAsync(context, ErrorCodes.Unauthenticated, "a bearer token is required");
            return;
        }

        if (authorizeResult.Forbidden)
        {
            await LiveProblems.WriteAsync(context, ErrorCodes.Forbidden, ForbiddenDetail(policy));
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    /// <summary>"role host is required", "role host or moderator is required": the policy's own roles.</summary>
    internal static string ForbiddenDetail(AuthorizationPolicy policy)
    {
        var roles = policy.Requirements.OfType<RolesAuthorizationRequirement>().SelectMany(r => r.AllowedRoles).ToList();
        return roles.Count == 0 ? "this call is not allowed to this caller" : $"role {string.Join(" or ", roles)} is required";
    }
}
