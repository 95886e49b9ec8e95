using Live.Contracts;
using Live.Hub.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Live.Hub.Realtime;

/// <summary>
/// The hub's connection lifecycle: every connection is registered (and one past the per-user limit refused), and a
/// closed one leaves the rooms it had joined, so the viewer counts stay true.
/// </summary>
public sealed class ConnectionHubHandler(
    ConnectionRegistry connections,
    RoomPresence presence,
    LiveHubMetrics metrics,
    IOptions<LiveHubOptions> options)
{
    public Task ConnectedAsync(HubCallerContext caller)
    {
        var user = LiveUser.From(caller.User);
        var count = connections.Connected(caller.ConnectionId, user?.UserId);
        metrics.Connected();
        if (user is not null && count > options.Value.MaxConnectionsPerUser)
        {
            // Refusing here closes the connection; OnDisconnectedAsync still runs and unregisters it.
            throw new HubException($"{ErrorCodes.RateLimited}: at most {options.Value.MaxConnectionsPerUser} connections per user");
        }

        return Task.CompletedTask;
    }

    public Task DisconnectedAsync(HubCallerContext caller)
    {
        metrics.Disconnected();
        foreach (var roomId in connections.Disconnected(caller.ConnectionId))
        {
            presence.Left(roomId);
        }

        return Task.CompletedTask;
    }
}
