using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;

namespace Live.Hub.Realtime;

/// <summary>The events of PROTOCOL.md; each method name is the event's name on the wire.</summary>
public interface ILiveClient
{
    /// <summary>Chat of one room tick, oldest first.</summary>
    Task ChatBatch(IReadOnlyList<ChatMessage> messages);

    Task ProductPinned(Product product);

    Task ProductUnpinned(RoomRef room);

    Task FlashSaleStarted(FlashSale sale);

    /// <summary>Coalesced: a few a second at most.</summary>
    Task FlashSaleUpdated(FlashSaleProgress progress);

    Task FlashSaleEnded(FlashSale sale);

    /// <summary>To the buyer only, on every connection of that user.</summary>
    Task PurchaseConfirmed(Order order);

    Task ViewerCount(ViewerCountUpdate update);

    Task LikesUpdated(LikesUpdate update);

    Task StreamStarted(Room room);

    Task StreamEnded(Room room);

    /// <summary>A moderator deleted a message: remove it from the chat shown (RedLive addition).</summary>
    Task ChatDeleted(ChatDeletion deletion);

    /// <summary>To the connections of a user taken out of a room (banned) (RedLive addition).</summary>
    Task RemovedFromRoom(RoomRemoval removal);

    /// <summary>Where the room's stream stands, every few seconds while it is open (RedLive addition, v1.5).</summary>
    Task RoomHeartbeat(RoomPosition position);
}
