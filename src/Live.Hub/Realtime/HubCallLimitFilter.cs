using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Realtime;

/// <summary>
/// The backstop under the per-kind limits: every hub call takes a token of its caller's bucket
/// (<c>RateLimits:HubCallsPerSecond</c>, <c>HubCallBurst</c>) before anything else runs for it, authorization and
/// input checks included, so that no kind of call is unlimited: <c>LeaveRoom</c>, which has no bucket of its own, and
/// calls refused before reaching theirs (bad input, a room not joined, a method the caller's role may not call).
/// </summary>
/// <remarks>
/// A signed-in user's calls share one bucket across their connections on this server, as the per-kind buckets do;
/// an anonymous connection has its own (anonymous connections per address are capped by
/// <c>Hub:MaxAnonymousConnectionsPerAddress</c>). Arguments that do not bind and unknown methods are answered by
/// SignalR before any filter runs; they reach no handler and no grain.
/// </remarks>
internal sealed class HubCallLimitFilter(UserRateLimiter limits) : IHubFilter
{
    private static readonly object KeyItem = new();

    public ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        limits.Call(KeyOf(invocationContext.Context));
        return next(invocationContext);
    }

    /// <summary>The connection's bucket key, made once: its user is fixed for the connection's life (<see cref="HubCaller"/>).</summary>
    private static string KeyOf(HubCallerContext connection)
    {
        if (connection.Items.TryGetValue(KeyItem, out var known))
        {
            return (string)known!;
        }

        var key = HubCaller.From(connection) is { } user ? "u:" + user.UserId : "c:" + connection.ConnectionId;
        connection.Items[KeyItem] = key;
        return key;
    }
}
