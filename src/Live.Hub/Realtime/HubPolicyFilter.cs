using System.Collections.Concurrent;
using System.Reflection;
using Live.Contracts;
using Live.Hub.Identity;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Realtime;

/// <summary>
/// The hub's one authorization check: a method marked <see cref="HubPolicyAttribute"/> runs only for a caller its
/// policy admits (the same policies as REST), else <c>unauthenticated</c> or <c>forbidden</c>. On connecting, a
/// token whose display name breaks the text rules is refused (<c>invalid_argument</c>), so no handler meets one.
/// </summary>
internal sealed class HubPolicyFilter(IAuthorizationService authorization, IAuthorizationPolicyProvider policies) : IHubFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, string?> PolicyOf = new();

    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var name = PolicyOf.GetOrAdd(invocationContext.HubMethod, m => m.GetCustomAttribute<HubPolicyAttribute>()?.Policy);
        if (name is not null)
        {
            var policy = await policies.GetPolicyAsync(name) ?? throw new InvalidOperationException($"no authorization policy named {name}");
            var user = invocationContext.Context.User ?? new System.Security.Claims.ClaimsPrincipal();
            if (!(await authorization.AuthorizeAsync(user, policy)).Succeeded)
            {
                throw LiveUser.From(user) is null
                    ? LiveException.Unauthenticated("a bearer token is required")
                    : LiveException.Forbidden(ProblemAuthorizationResultHandler.ForbiddenDetail(policy));
            }
        }

        return await next(invocationContext);
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        try
        {
            LiveUser.From(context.Context.User);
        }
        catch (LiveException ex)
        {
            // Thrown from OnConnectedAsync, a HubException closes the connection and its text reaches the client.
            throw new HubException($"{ex.Code}: {ex.Message}");
        }

        return next(context);
    }
}
