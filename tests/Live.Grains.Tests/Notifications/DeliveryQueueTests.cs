using Live.Contracts.Notifications;
using Live.Grains.Notifications;

namespace Live.Grains.Tests.Notifications;

public sealed class DeliveryQueueTests
{
    [Fact]
    public void EventsLeaveOnlyOnceAHubHasTakenThem()
    {
        var queue = new DeliveryQueue("backplane:redis");
        queue.Add(Events(1, 2, 3));

        Assert.Equal([1L, 2], queue.Peek(2).Select(e => e.Seq));
        Assert.Equal(3, queue.Count);

        queue.RetryAt = DateTimeOffset.MaxValue;
        queue.Taken(2);

        Assert.Equal([3L], queue.Peek(10).Select(e => e.Seq));
        Assert.Equal(DateTimeOffset.MinValue, queue.RetryAt);
    }

    [Fact]
    public void PastItsBoundTheOldestAreDropped()
    {
        var queue = new DeliveryQueue("backplane:redis");
        queue.Add(Events(1, 2, 3, 4, 5));

        Assert.Equal(2, queue.Trim(3));
        Assert.Equal([3L, 4, 5], queue.Peek(10).Select(e => e.Seq));
        Assert.Equal(0, queue.Trim(3));
    }

    private static IEnumerable<RoomEvent> Events(params long[] seqs) =>
        seqs.Select(s => new ProductUnpinnedEvent { RoomId = "r1", Seq = s });
}
