using Live.Contracts;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Live.Hub.Realtime;

/// <summary>
/// The hub's connection lifecycle: every connection is registered (and one past the per-user limit, or an anonymous
/// one past the per-address limit, refused), and a closed one leaves the rooms it had joined, so the viewer counts
/// stay true.
/// </summary>
public sealed class ConnectionHubHandler(
    ConnectionRegistry connections,
    RoomPresence presence,
    LiveHubMetrics metrics,
    IOptions<LiveHubOptions> options,
    IHostApplicationLifetime lifetime,
    ILogger<ConnectionHubHandler> logger)
{
    public Task ConnectedAsync(HubCallerContext caller)
    {
        var user = HubCaller.From(caller);
        var address = user is null ? caller.GetHttpContext()?.Connection.RemoteIpAddress?.ToString() : null;
        var count = connections.Connected(caller.ConnectionId, user?.UserId, address);
        var settings = options.Value;

        // A connection that passed StoppingHubGate just before the server began to stop, but that SignalR's closing of
        // the open connections missed: it must not hold the stop up either.
        if (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            throw Refuse(caller, ErrorCodes.Unavailable, "connect-stopping", "this server is stopping; connect again");
        }

        // Refusing here closes the connection with the reason (SignalR sends a HubException's message in its close
        // frame). SignalR does not call OnDisconnectedAsync for a connection whose OnConnectedAsync threw, so the
        // refused connection is unregistered here, or it would hold its place under the cap for good.
        if (user is not null && count > settings.MaxConnectionsPerUser)
        {
            throw Refuse(caller, ErrorCodes.RateLimited, "connect", $"at most {settings.MaxConnectionsPerUser} connections per user");
        }

        if (user is null && settings.MaxAnonymousConnectionsPerAddress > 0 && count > settings.MaxAnonymousConnectionsPerAddress)
        {
            throw Refuse(caller, ErrorCodes.RateLimited, "connect-anonymous", $"at most {settings.MaxAnonymousConnectionsPerAddress} anonymous connections per address; sign in to watch on more");
        }

        metrics.Connected();
        return Task.CompletedTask;
    }

    public Task DisconnectedAsync(HubCallerContext caller)
    {
        if (connections.Disconnected(caller.ConnectionId) is not { } rooms)
        {
            return Task.CompletedTask;
        }

        metrics.Disconnected();
        foreach (var roomId in rooms)
        {
            presence.Left(roomId);
        }

        return Task.CompletedTask;
    }

    private HubException Refuse(HubCallerContext caller, string code, string what, string message)
    {
        connections.Disconnected(caller.ConnectionId);
        metrics.Refused(code, what);
        RealtimeLog.ConnectionRefused(logger, what, message);
        return new HubException($"{code}: {message}");
    }
}
