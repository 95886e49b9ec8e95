using Live.Contracts.Notifications;
using Live.Grains.Notifications;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Live.Grains.Tests.Notifications;

public sealed class RoomEventPublisherTests
{
    [Fact]
    public void EventsPublishedPastTheQueuesBoundAreCountedAsLost()
    {
        using var lost = new MetricCollector<long>(null, LiveGrainMetrics.MeterName, "redlive.room_events.lost");

        // Never started: its loop, the only reader of the queue (and the only user of the grain factory), is not running,
        // as when it cannot keep up.
        using var publisher = new RoomEventPublisher(
            grains: null!,
            TimeProvider.System,
            Options.Create(new NotificationOptions { MaxQueuedEvents = 3 }),
            NullLogger<RoomEventPublisher>.Instance);
        for (var seq = 1; seq <= 5; seq++)
        {
            publisher.Publish(new ProductUnpinnedEvent { RoomId = "r1", Seq = seq });
        }

        var counted = lost.GetMeasurementSnapshot().Where(m => Equals(m.Tags["reason"], "queue_full")).ToArray();
        Assert.Equal(2, counted.EvaluateAsCounter());
    }
}
