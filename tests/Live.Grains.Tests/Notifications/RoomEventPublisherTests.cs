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

    [Fact]
    public async Task EventsLeftQueuedWhenTheSiloStopsAndThosePublishedAfterAreCountedAsLost()
    {
        using var lost = new MetricCollector<long>(null, LiveGrainMetrics.MeterName, "redlive.room_events.lost");

        // No grain factory: the loop cannot reach the hub directory, so what it takes stays queued (as with no hub).
        using var publisher = new RoomEventPublisher(
            grains: null!,
            TimeProvider.System,
            Options.Create(new NotificationOptions { RetryDelay = TimeSpan.FromMinutes(1) }),
            NullLogger<RoomEventPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);
        publisher.Publish(new ProductUnpinnedEvent { RoomId = "r1", Seq = 1 });
        publisher.Publish(new ProductUnpinnedEvent { RoomId = "r1", Seq = 2 });
        await Task.Delay(200);
        Assert.Empty(lost.GetMeasurementSnapshot());

        await publisher.StopAsync(CancellationToken.None);
        publisher.Publish(new ProductUnpinnedEvent { RoomId = "r1", Seq = 3 });

        var counted = lost.GetMeasurementSnapshot().Where(m => Equals(m.Tags["reason"], "shutdown")).ToArray();
        Assert.Equal(3, counted.EvaluateAsCounter());
    }
}
