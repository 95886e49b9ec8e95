using System.Collections.Concurrent;
using System.Reflection;
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

    [Fact]
    public async Task AHubThatNeverAnswersHoldsOnlyItsOwnQueue()
    {
        // Two backplanes: b1's only hub was killed and its push hangs (as until Orleans drops its connection); b2's
        // takes events at once. A push that hangs holds b1's queue only: b2 keeps getting each new event.
        var hung = new TaskCompletionSource();
        var alive = new ConcurrentQueue<long>();
        var hubs = new[]
        {
            Hub("hub-dead", "b1", _ => hung.Task),
            Hub("hub-alive", "b2", events =>
            {
                foreach (var e in events)
                {
                    alive.Enqueue(e.Seq);
                }

                return Task.CompletedTask;
            }),
        };
        var grains = DispatchProxy.Create<IGrainFactory, Grains>();
        ((Grains)(object)grains).Directory = hubs;
        using var publisher = new RoomEventPublisher(
            grains,
            TimeProvider.System,
            Options.Create(new NotificationOptions { PushTimeout = TimeSpan.FromMinutes(1) }),
            NullLogger<RoomEventPublisher>.Instance);
        await publisher.StartAsync(CancellationToken.None);
        try
        {
            for (var seq = 1L; seq <= 3; seq++)
            {
                publisher.Publish(new ProductUnpinnedEvent { RoomId = "r1", Seq = seq });
                var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
                while (!alive.Contains(seq) && DateTime.UtcNow < deadline)
                {
                    await Task.Delay(20);
                }

                Assert.True(alive.Contains(seq), $"event {seq} reached the live backplane while the other one's push hung");
            }

            Assert.Equal([1L, 2L, 3L], alive);
        }
        finally
        {
            hung.TrySetResult();
            await publisher.StopAsync(CancellationToken.None);
        }
    }

    private static HubRegistration Hub(string hubId, string backplane, Func<IReadOnlyList<RoomEvent>, Task> take)
    {
        var observer = DispatchProxy.Create<IRoomEventObserver, Observer>();
        ((Observer)(object)observer).Take = take;
        return new HubRegistration { HubId = hubId, Backplane = backplane, Observer = observer };
    }

    /// <summary>A hub's observer that hands each push to <see cref="Take"/>.</summary>
    public class Observer : DispatchProxy
    {
        internal Func<IReadOnlyList<RoomEvent>, Task>? Take { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => Take!((IReadOnlyList<RoomEvent>)args![0]!);
    }

    /// <summary>A grain factory whose hub directory lists <see cref="Directory"/>.</summary>
    public class Grains : DispatchProxy
    {
        internal HubRegistration[] Directory { get; set; } = [];

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name != nameof(IGrainFactory.GetGrain))
            {
                throw new NotSupportedException(targetMethod.Name);
            }

            var directory = DispatchProxy.Create<IHubDirectoryGrain, DirectoryGrain>();
            ((DirectoryGrain)(object)directory).Hubs = Directory;
            return directory;
        }
    }

    /// <summary>The hub directory grain, answering its list.</summary>
    public class DirectoryGrain : DispatchProxy
    {
        internal HubRegistration[] Hubs { get; set; } = [];

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) =>
            targetMethod!.Name == nameof(IHubDirectoryGrain.GetHubsAsync)
                ? Task.FromResult<IReadOnlyList<HubRegistration>>(Hubs)
                : throw new NotSupportedException(targetMethod.Name);
    }
}
