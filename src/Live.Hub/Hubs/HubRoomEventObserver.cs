using Live.Grains.Notifications;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Hubs;

/// <summary>
/// This hub server's end of the push path: the silo hands it room events and it sends each to the room's group.
/// With the Redis backplane a group send is one publish that every hub server delivers to its own viewers.
/// </summary>
internal sealed class HubRoomEventObserver(
    IHubContext<LiveHub, ILiveClient> hub,
    ConnectionRegistry connections,
    RoomPresence presence,
    LiveHubMetrics metrics) : IRoomEventObserver
{
    public async Task OnRoomEventsAsync(IReadOnlyList<RoomEvent> events)
    {
        foreach (var roomEvent in events)
        {
            if (roomEvent is UserBannedEvent banned)
            {
                await RemoveFromRoomAsync(banned.UserId, banned.RoomId, "banned");
                continue;
            }

            var room = hub.Clients.Group(RoomGroups.Name(roomEvent.RoomId));
            await (roomEvent switch
            {
                ChatBatchEvent e => room.ChatBatch(e.Messages),
                ProductPinnedEvent e => room.ProductPinned(e.Product),
                ProductUnpinnedEvent e => room.ProductUnpinned(new RoomRef(e.RoomId)),
                FlashSaleStartedEvent e => room.FlashSaleStarted(e.Sale),
                FlashSaleUpdatedEvent e => room.FlashSaleUpdated(e.Progress),
                FlashSaleEndedEvent e => room.FlashSaleEnded(e.Sale),
                ViewerCountEvent e => room.ViewerCount(new ViewerCountUpdate(e.RoomId, e.Viewers)),
                LikesUpdatedEvent e => room.LikesUpdated(new LikesUpdate(e.RoomId, e.Likes)),
                StreamStartedEvent e => room.StreamStarted(e.Room),
                StreamEndedEvent e => room.StreamEnded(e.Room),
                ChatDeletedEvent e => room.ChatDeleted(new ChatDeletion(e.RoomId, e.MessageId)),
                _ => throw new NotSupportedException($"unknown room event {roomEvent.GetType().Name}"),
            });
            metrics.RoomEventSent(roomEvent);
        }
    }

    /// <summary>Takes this server's connections of a user out of a room's group and tells them why.</summary>
    private async Task RemoveFromRoomAsync(string userId, string roomId, string reason)
    {
        foreach (var connectionId in connections.ConnectionsOf(userId))
        {
            if (!connections.Leave(connectionId, roomId))
            {
                continue;
            }

            presence.Left(roomId);
            await hub.Groups.RemoveFromGroupAsync(connectionId, RoomGroups.Name(roomId));
            await hub.Clients.Client(connectionId).RemovedFromRoom(new RoomRemoval(roomId, reason));
        }
    }
}
