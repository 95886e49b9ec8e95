using Live.Contracts.Notifications;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Moderation;

/// <summary>
/// The hub side of a ban: the room grain refuses the user's next join, but connections already in the room's group
/// would keep receiving its events, so this server takes its connections of the user out and tells them why.
/// </summary>
internal sealed class BanEnforcer(
    IHubContext<LiveHub, ILiveClient> hub,
    ConnectionRegistry connections,
    RoomPresence presence)
{
    private const string Reason = "banned";

    public async Task EnforceAsync(UserBannedEvent banned)
    {
        foreach (var connectionId in connections.ConnectionsOf(banned.UserId))
        {
            if (!connections.Leave(connectionId, banned.RoomId))
            {
                continue;
            }

            presence.Left(banned.RoomId);
            await hub.Groups.RemoveFromGroupAsync(connectionId, RoomGroups.Name(banned.RoomId));
            await hub.Clients.Client(connectionId).RemovedFromRoom(new RoomRemoval(banned.RoomId, Reason));
        }
    }
}
