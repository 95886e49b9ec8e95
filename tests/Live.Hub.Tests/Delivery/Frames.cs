using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using Live.Hub.Delivery;
using Live.Hub.Realtime;

namespace Live.Hub.Tests.Delivery;

/// <summary>Room events as frames, for the delivery rules' tests.</summary>
internal static class Frames
{
    public static ChatMessage Message(string id, string roomId = "r1") => new()
    {
        Id = id,
        RoomId = roomId,
        UserId = "u1",
        DisplayName = "U",
        Text = "hi " + id,
        SentAt = DateTimeOffset.UnixEpoch,
    };

    public static OutboxFrame Chat(params string[] ids) => OutboxFrame.ChatBatch("r1", ids.Select(id => Message(id)).ToArray());

    public static OutboxFrame ChatIn(string roomId, params string[] ids) => OutboxFrame.ChatBatch(roomId, ids.Select(id => Message(id, roomId)).ToArray());

    public static OutboxFrame Viewers(long count, string roomId = "r1") =>
        OutboxFrame.For(roomId, nameof(ILiveClient.ViewerCount), [new ViewerCountUpdate(roomId, count)]);

    public static OutboxFrame Progress(string saleId, int sold) =>
        OutboxFrame.For("r1", nameof(ILiveClient.FlashSaleUpdated), [new FlashSaleProgress { SaleId = saleId, Remaining = 10 - sold, Sold = sold, RecentBuyers = [] }]);

    public static OutboxFrame Unpinned(string roomId = "r1") =>
        OutboxFrame.For(roomId, nameof(ILiveClient.ProductUnpinned), [new RoomRef(roomId)]);

    /// <summary>What a frame shows in an assertion: its event, and its chat ids or its value.</summary>
    public static string Describe(OutboxFrame frame) => frame.Method switch
    {
        nameof(ILiveClient.ChatBatch) => "chat:" + string.Join(",", frame.Chat.Select(m => m.Id)),
        nameof(ILiveClient.ViewerCount) => "viewers:" + ((ViewerCountUpdate)frame.Args[0]!).Viewers,
        nameof(ILiveClient.FlashSaleUpdated) => $"sale:{((FlashSaleProgress)frame.Args[0]!).SaleId}={((FlashSaleProgress)frame.Args[0]!).Sold}",
        _ => frame.Method,
    };
}
