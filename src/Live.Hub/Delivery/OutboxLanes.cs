using Live.Contracts.FlashSales;
using Live.Hub.Realtime;

namespace Live.Hub.Delivery;

/// <summary>Which lane each event of <see cref="ILiveClient"/> travels in, and the key a latest-value event replaces by.</summary>
public static class OutboxLanes
{
    public static OutboxLane Of(string method) => method switch
    {
        nameof(ILiveClient.ChatBatch) => OutboxLane.Droppable,
        nameof(ILiveClient.ViewerCount) or nameof(ILiveClient.LikesUpdated) or nameof(ILiveClient.FlashSaleUpdated)
            or nameof(ILiveClient.RoomHeartbeat) => OutboxLane.LatestValue,

        // Everything else, and any event added later until it is classified here: losing it silently is the worse fault.
        _ => OutboxLane.MustDeliver,
    };

    /// <summary>
    /// The key under which a latest-value event replaces the one queued before it: the room and the event, and for
    /// <c>FlashSaleUpdated</c> the sale (two sales of one room progress independently). Null for other lanes.
    /// </summary>
    public static string? LatestKey(string? roomId, string method, IReadOnlyList<object?> args)
    {
        if (Of(method) != OutboxLane.LatestValue)
        {
            return null;
        }

        return args is [FlashSaleProgress progress]
            ? string.Concat(roomId, "\n", method, "\n", progress.SaleId)
            : string.Concat(roomId, "\n", method);
    }
}
