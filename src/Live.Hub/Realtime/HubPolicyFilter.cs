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
    private static readonly object AdmittedKey = new();

    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var name = PolicyOf.GetOrAdd(invocationContext.HubMethod, m => m.GetCustomAttribute<HubPolicyAttribute>()?.Policy);
        var admitted = name is null ? null : Admitted(invocationContext.Context);
        if (name is not null && !admitted!.ContainsKey(name))
        {
            var policy = await policies.GetPolicyAsync(name) ?? throw new InvalidOperationException($"no authorization policy named {name}");
            var user = invocationContext.Context.User ?? new System.Security.Claims.ClaimsPrincipal();
            if (!(await authorization.AuthorizeAsync(user, policy)).Succeeded)
            {
                throw HubCaller.From(invocationContext.Context) is null
                    ? LiveException.Unauthenticated("a bearer token is required")
                    : LiveException.Forbidden(ProblemAuthorizationResultHandler.ForbiddenDetail(policy));
            }

            admitted.TryAdd(name, true);
        }

        return await next(invocationContext);
    }

    /// <summary>
    /// The policies that admitted this connection's user: its user is fixed for the connection's life (see
    /// <see cref="HubCaller"/>) and the policies read only its claims, so a policy that admitted it once admits it on
    /// every call; a refusal is not kept (it is answered, and costs the caller, not the room).
    /// </summary>
    private static ConcurrentDictionary<string, bool> Admitted(HubCallerContext connection)
    {
        if (connection.Items.TryGetValue(AdmittedKey, out var known))
        {
            return (ConcurrentDictionary<string, bool>)known!;
        }

        var admitted = new ConcurrentDictionary<string, bool>(StringComparer.Ordinal);
        return connection.Items.TryAdd(AdmittedKey, admitted) ? admitted : (ConcurrentDictionary<string, bool>)connection.Items[AdmittedKey]!;
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        try
        {
            // Read (and checked) once here; the connection's calls take the same caller (HubCaller).
            HubCaller.From(context.Context);
        }
        catch (LiveException ex)
        {
            // Thrown from OnConnectedAsync, a HubException closes the connection and its text reaches the client.
            throw new HubException($"{ex.Code}: {ex.Message}");
        }

        return next(context);
    }
}
