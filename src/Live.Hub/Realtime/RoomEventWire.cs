using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Contracts.Rooms;

namespace Live.Hub.Realtime;

/// <summary>
/// How a room event looks on the wire, in one place: which <see cref="ILiveClient"/> event it is and its argument,
/// stamped with its <c>seq</c> and, for what carries a sale's time, the server's clock (PROTOCOL v1.3 and "Server
/// time"). Live sends (<see cref="SendAsync"/>) and resumed events (<see cref="Frame"/>) use the same arguments.
/// </summary>
public static class RoomEventWire
{
    /// <summary>Sends <paramref name="roomEvent"/> to <paramref name="client"/> (a group, a connection) as its live event.</summary>
    public static Task SendAsync(ILiveClient client, RoomEvent roomEvent, DateTimeOffset serverTime) => roomEvent switch
    {
        ChatBatchEvent e => client.ChatBatch(Argument(e)),
        ProductPinnedEvent e => client.ProductPinned(Argument(e)),
        ProductUnpinnedEvent e => client.ProductUnpinned(Argument(e)),
        FlashSaleStartedEvent e => client.FlashSaleStarted(Argument(e, serverTime)),
        FlashSaleUpdatedEvent e => client.FlashSaleUpdated(Argument(e, serverTime)),
        FlashSaleEndedEvent e => client.FlashSaleEnded(Argument(e, serverTime)),
        ViewerCountEvent e => client.ViewerCount(Argument(e)),
        LikesUpdatedEvent e => client.LikesUpdated(Argument(e)),
        StreamStartedEvent e => client.StreamStarted(Argument(e)),
        StreamEndedEvent e => client.StreamEnded(Argument(e)),
        ChatDeletedEvent e => client.ChatDeleted(Argument(e)),
        RoomHeartbeatEvent e => client.RoomHeartbeat(new RoomPosition(e.RoomId, e.Epoch, e.Last)),
        _ => throw Unknown(roomEvent),
    };

    /// <summary><paramref name="roomEvent"/> as <c>{ event, seq, data }</c>, <c>data</c> being what <see cref="SendAsync"/> sends.</summary>
    public static RoomEventFrame Frame(RoomEvent roomEvent, DateTimeOffset serverTime) => roomEvent switch
    {
        ChatBatchEvent e => new(nameof(ILiveClient.ChatBatch), e.Seq, Argument(e)),
        ProductPinnedEvent e => new(nameof(ILiveClient.ProductPinned), e.Seq, Argument(e)),
        ProductUnpinnedEvent e => new(nameof(ILiveClient.ProductUnpinned), e.Seq, Argument(e)),
        FlashSaleStartedEvent e => new(nameof(ILiveClient.FlashSaleStarted), e.Seq, Argument(e, serverTime)),
        FlashSaleUpdatedEvent e => new(nameof(ILiveClient.FlashSaleUpdated), e.Seq, Argument(e, serverTime)),
        FlashSaleEndedEvent e => new(nameof(ILiveClient.FlashSaleEnded), e.Seq, Argument(e, serverTime)),
        ViewerCountEvent e => new(nameof(ILiveClient.ViewerCount), e.Seq, Argument(e)),
        LikesUpdatedEvent e => new(nameof(ILiveClient.LikesUpdated), e.Seq, Argument(e)),
        StreamStartedEvent e => new(nameof(ILiveClient.StreamStarted), e.Seq, Argument(e)),
        StreamEndedEvent e => new(nameof(ILiveClient.StreamEnded), e.Seq, Argument(e)),
        ChatDeletedEvent e => new(nameof(ILiveClient.ChatDeleted), e.Seq, Argument(e)),
        _ => throw Unknown(roomEvent),
    };

    // The room numbers each chat message as it sends it; the other arguments get the event's number here.
    private static IReadOnlyList<ChatMessage> Argument(ChatBatchEvent e) => e.Messages;

    private static Product Argument(ProductPinnedEvent e) => e.Product with { Seq = Seq(e), RoomId = e.RoomId };

    private static RoomRef Argument(ProductUnpinnedEvent e) => new(e.RoomId) { Seq = Seq(e) };

    private static FlashSale Argument(FlashSaleStartedEvent e, DateTimeOffset now) => e.Sale.At(now) with { Seq = Seq(e) };

    private static FlashSaleProgress Argument(FlashSaleUpdatedEvent e, DateTimeOffset now) => e.Progress.At(now) with { Seq = Seq(e), RoomId = e.RoomId };

    private static FlashSale Argument(FlashSaleEndedEvent e, DateTimeOffset now) => e.Sale.At(now) with { Seq = Seq(e) };

    private static ViewerCountUpdate Argument(ViewerCountEvent e) => new(e.RoomId, e.Viewers) { Seq = Seq(e) };

    private static LikesUpdate Argument(LikesUpdatedEvent e) => new(e.RoomId, e.Likes) { Seq = Seq(e) };

    private static Room Argument(StreamStartedEvent e) => e.Room with { Seq = Seq(e) };

    private static Room Argument(StreamEndedEvent e) => e.Room with { Seq = Seq(e) };

    private static ChatDeletion Argument(ChatDeletedEvent e) => new(e.RoomId, e.MessageId) { Seq = Seq(e) };

    /// <summary>An event the room did not number (none should reach a viewer) goes out without a seq rather than 0.</summary>
    private static long? Seq(RoomEvent e) => e.Seq > 0 ? e.Seq : null;

    private static NotSupportedException Unknown(RoomEvent roomEvent) => new($"unknown room event {roomEvent.GetType().Name}");
}
