using Live.Hub.Delivery;
using Live.Hub.Realtime;

namespace Live.Hub.Tests.Delivery;

public sealed class OutboxLanesTests
{
    [Theory]
    [InlineData(nameof(ILiveClient.ChatBatch), OutboxLane.Droppable)]
    [InlineData(nameof(ILiveClient.ViewerCount), OutboxLane.LatestValue)]
    [InlineData(nameof(ILiveClient.LikesUpdated), OutboxLane.LatestValue)]
    [InlineData(nameof(ILiveClient.FlashSaleUpdated), OutboxLane.LatestValue)]
    [InlineData(nameof(ILiveClient.StreamStarted), OutboxLane.MustDeliver)]
    [InlineData(nameof(ILiveClient.StreamEnded), OutboxLane.MustDeliver)]
    [InlineData(nameof(ILiveClient.ProductPinned), OutboxLane.MustDeliver)]
    [InlineData(nameof(ILiveClient.ProductUnpinned), OutboxLane.MustDeliver)]
    [InlineData(nameof(ILiveClient.FlashSaleStarted), OutboxLane.MustDeliver)]
    [InlineData(nameof(ILiveClient.FlashSaleEnded), OutboxLane.MustDeliver)]
    [InlineData(nameof(ILiveClient.ChatDeleted), OutboxLane.MustDeliver)]
    [InlineData(nameof(ILiveClient.PurchaseConfirmed), OutboxLane.MustDeliver)]
    [InlineData(nameof(ILiveClient.RemovedFromRoom), OutboxLane.MustDeliver)]
    public void EveryEventTravelsInThePublishedLane(string method, OutboxLane lane) => Assert.Equal(lane, OutboxLanes.Of(method));

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
