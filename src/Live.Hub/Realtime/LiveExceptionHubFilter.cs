using Live.Contracts;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Realtime;

/// <summary>Turns a refusal into the <c>HubException</c> PROTOCOL.md promises: "code: message".</summary>
internal sealed class LiveExceptionHubFilter(LiveHubMetrics metrics) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (LiveException ex)
        {
            metrics.Refused(ex.Code);
            throw new HubException($"{ex.Code}: {ex.Message}");
        }
    }
}
