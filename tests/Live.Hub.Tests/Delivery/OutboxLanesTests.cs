using Live.Contracts.Notifications;
using Live.Hub.Delivery;
using Live.Hub.Realtime;

namespace Live.Hub.Tests.Delivery;

public sealed class OutboxLanesTests
{
    /// <summary>
    /// PROTOCOL.md's lanes ("Lanes", and v1.5's <c>RoomHeartbeat</c>): one row per event of <see cref="ILiveClient"/>.
    /// An event added to the client without a row here fails <see cref="EveryEventTravelsInThePublishedLane"/>: its lane
    /// is a decision of the protocol, not the default's.
    /// </summary>
    private static readonly Dictionary<string, OutboxLane> PublishedLanes = new(StringComparer.Ordinal)
    {
        [nameof(ILiveClient.ChatBatch)] = OutboxLane.Droppable,
        [nameof(ILiveClient.ViewerCount)] = OutboxLane.LatestValue,
        [nameof(ILiveClient.LikesUpdated)] = OutboxLane.LatestValue,
        [nameof(ILiveClient.FlashSaleUpdated)] = OutboxLane.LatestValue,
        [nameof(ILiveClient.RoomHeartbeat)] = OutboxLane.LatestValue,
        [nameof(ILiveClient.StreamStarted)] = OutboxLane.MustDeliver,
        [nameof(ILiveClient.StreamEnded)] = OutboxLane.MustDeliver,
        [nameof(ILiveClient.ProductPinned)] = OutboxLane.MustDeliver,
        [nameof(ILiveClient.ProductUnpinned)] = OutboxLane.MustDeliver,
        [nameof(ILiveClient.FlashSaleStarted)] = OutboxLane.MustDeliver,
        [nameof(ILiveClient.FlashSaleEnded)] = OutboxLane.MustDeliver,
        [nameof(ILiveClient.ChatDeleted)] = OutboxLane.MustDeliver,
        [nameof(ILiveClient.PurchaseConfirmed)] = OutboxLane.MustDeliver,
        [nameof(ILiveClient.RemovedFromRoom)] = OutboxLane.MustDeliver,
    };

    /// <summary>The event each room event of the contracts reaches its viewers as (<see cref="RoomEventWire"/>, a ban's removal).</summary>
    private static readonly Dictionary<Type, string> ClientEventOf = new()
    {
        [typeof(ChatBatchEvent)] = nameof(ILiveClient.ChatBatch),
        [typeof(ChatDeletedEvent)] = nameof(ILiveClient.ChatDeleted),
        [typeof(FlashSaleStartedEvent)] = nameof(ILiveClient.FlashSaleStarted),
        [typeof(FlashSaleUpdatedEvent)] = nameof(ILiveClient.FlashSaleUpdated),
        [typeof(FlashSaleEndedEvent)] = nameof(ILiveClient.FlashSaleEnded),
        [typeof(LikesUpdatedEvent)] = nameof(ILiveClient.LikesUpdated),
        [typeof(ProductPinnedEvent)] = nameof(ILiveClient.ProductPinned),
        [typeof(ProductUnpinnedEvent)] = nameof(ILiveClient.ProductUnpinned),
        [typeof(RoomHeartbeatEvent)] = nameof(ILiveClient.RoomHeartbeat),
        [typeof(StreamStartedEvent)] = nameof(ILiveClient.StreamStarted),
        [typeof(StreamEndedEvent)] = nameof(ILiveClient.StreamEnded),
        [typeof(UserBannedEvent)] = nameof(ILiveClient.RemovedFromRoom),
        [typeof(ViewerCountEvent)] = nameof(ILiveClient.ViewerCount),
    };

    public static TheoryData<string> ClientEvents => new(typeof(ILiveClient).GetMethods().Select(m => m.Name));

    public static TheoryData<string> RoomEvents => new(typeof(RoomEvent).Assembly.GetTypes()
        .Where(t => t.IsSubclassOf(typeof(RoomEvent)) && !t.IsAbstract)
        .Select(t => t.FullName!));

    [Theory]
    [MemberData(nameof(ClientEvents))]
    public void EveryEventTravelsInThePublishedLane(string method)
    {
        Assert.True(PublishedLanes.TryGetValue(method, out var lane), $"{method} has no row: give it its lane in PROTOCOL.md and OutboxLanes.Of");
        Assert.Equal(lane, OutboxLanes.Of(method));
    }

    [Theory]
    [MemberData(nameof(RoomEvents))]
    public void EveryRoomEventReachesViewersAsAnEventWithALane(string type)
    {
        var roomEvent = ClientEventOf.Keys.SingleOrDefault(t => t.FullName == type);
        Assert.True(roomEvent is not null, $"{type} has no row: name the client event it is sent as, and so its lane");
        Assert.Contains(ClientEventOf[roomEvent], PublishedLanes.Keys);
    }

    [Fact]
    public void TheLanesTableHoldsNoEventTheClientDoesNotHave() =>
        Assert.Equal(PublishedLanes.Keys.Order(), typeof(ILiveClient).GetMethods().Select(m => m.Name).Order());

    [Fact]
    public void LatestValuesAreKeyedByRoomEventAndSale()
    {
        Assert.NotEqual(Frames.Viewers(1, "r1").Key, Frames.Viewers(1, "r2").Key);
        Assert.Equal(Frames.Viewers(1).Key, Frames.Viewers(2).Key);
        Assert.NotEqual(Frames.Progress("s1", 1).Key, Frames.Progress("s2", 1).Key);
        Assert.Equal(Frames.Progress("s1", 1).Key, Frames.Progress("s1", 2).Key);
        Assert.Null(Frames.Chat("m1").Key);
        Assert.Null(Frames.Unpinned().Key);
    }
}
