using Live.Hub.Delivery;
using Microsoft.Extensions.Time.Testing;

namespace Live.Hub.Tests.Delivery;

public sealed class ConnectionOutboxTests
{
    private readonly FakeTimeProvider _time = new();
    private readonly FakeOutboxConnection _connection = new();

    [Fact]
    public void AConnectionThatKeepsUpGetsEveryFrameAtOnceInOrder()
    {
        var outbox = Outbox();

        outbox.Enqueue(Frames.Chat("m1"));
        outbox.Enqueue(Frames.Viewers(3));
        outbox.Enqueue(Frames.Unpinned());

        Assert.Equal(["chat:m1", "viewers:3", "ProductUnpinned"], _connection.Written.Select(Frames.Describe));
        Assert.Equal(0, outbox.QueuedFrames);
    }

    [Fact]
    public async Task AStalledConnectionDropsTheOldestChatFirstAndStaysWithinItsBounds()
    {
        var outbox = Outbox(maxFrames: 4, maxBytes: 1_000_000);
        _connection.Stall();
        outbox.Enqueue(Frames.Chat("m0"));
        for (var i = 1; i <= 10; i++)
        {
            outbox.Enqueue(Frames.Chat($"m{i}"));
        }

        Assert.Equal(4, outbox.QueuedFrames);
        Assert.Equal(4, outbox.PeakFrames);
        Assert.Equal(6, outbox.DroppedChatMessages);

        _connection.Resume();
        await Eventually.TrueAsync("the queue drained", () => outbox.QueuedFrames == 0, TimeSpan.FromSeconds(10));

        // The frame in flight, then the four newest as one ChatBatch: a lagging connection's run of chat is one frame.
        Assert.Equal(["chat:m0", "chat:m7,m8,m9,m10"], _connection.Written.Select(Frames.Describe));
        Assert.False(_connection.Aborted);
    }

    [Fact]
    public void TheByteBoundDropsChatToo()
    {
        var outbox = Outbox(maxFrames: 1000, maxBytes: 4096);
        _connection.Stall();
        outbox.Enqueue(Frames.Chat("m0"));
        for (var i = 1; i <= 100; i++)
        {
            outbox.Enqueue(Frames.Chat($"m{i}"));
        }

        // Every frame weighs 100 bytes: 40 fit in 4,096, and the newest besides.
        Assert.Equal(41, outbox.QueuedFrames);
        Assert.Equal(4100, outbox.QueuedBytes);
        Assert.True(outbox.PeakBytes <= 4096 + 100, $"peak {outbox.PeakBytes} bytes");
    }

    [Fact]
    public async Task AChatFrameBiggerThanTheByteBoundAloneIsKeptAsTheNewestAndDroppedOnceAnotherComes()
    {
        // A loaded room sends fewer, fuller frames: one can outweigh the bound by itself. A connection that only has a
        // write in flight when it comes gets it (SlowViewerTests saw a reading viewer lose chat when it was dropped).
        var outbox = Outbox(maxFrames: 1000, maxBytes: 50);
        _connection.Stall();
        outbox.Enqueue(Frames.Chat("m0"));
        outbox.Enqueue(Frames.Chat("m1", "m2", "m3"));
        Assert.Equal(1, outbox.QueuedFrames);
        Assert.Equal(0, outbox.DroppedChatMessages);

        // Still stalled when the next comes: the oldest chat goes, and the queue holds the bound plus its newest frame.
        outbox.Enqueue(Frames.Chat("m4"));
        Assert.Equal(1, outbox.QueuedFrames);
        Assert.Equal(3, outbox.DroppedChatMessages);
        Assert.False(_connection.Aborted);

        _connection.Resume();
        await Eventually.TrueAsync("the queue drained", () => outbox.QueuedFrames == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(["chat:m0", "chat:m4"], _connection.Written.Select(Frames.Describe));
    }

    [Fact]
    public async Task ALatestValueReplacesTheQueuedOneOfItsKeyAndTakesItsPlaceAtTheTail()
    {
        var outbox = Outbox();
        _connection.Stall();
        outbox.Enqueue(Frames.Unpinned());
        outbox.Enqueue(Frames.Viewers(1));
        outbox.Enqueue(Frames.Progress("s1", 1));
        outbox.Enqueue(Frames.Chat("m1"));
        outbox.Enqueue(Frames.Progress("s2", 1));
        outbox.Enqueue(Frames.Viewers(2));
        outbox.Enqueue(Frames.Progress("s1", 2));

        Assert.Equal(2, outbox.ReplacedValues);
        _connection.Resume();
        await Eventually.TrueAsync("the queue drained", () => outbox.QueuedFrames == 0, TimeSpan.FromSeconds(10));

        // Newer values go to the tail so that the connection still sees the room's events in the room's order.
        Assert.Equal(["ProductUnpinned", "chat:m1", "sale:s2=1", "viewers:2", "sale:s1=2"], _connection.Written.Select(Frames.Describe));
    }

    [Fact]
    public async Task ChatIsMergedOnlyAcrossAdjacentFramesOfOneRoom()
    {
        var outbox = Outbox();
        _connection.Stall();
        outbox.Enqueue(Frames.Unpinned());
        outbox.Enqueue(Frames.Chat("a1"));
        outbox.Enqueue(Frames.Chat("a2"));
        outbox.Enqueue(Frames.ChatIn("r2", "b1"));
        outbox.Enqueue(Frames.Chat("a3"));
        outbox.Enqueue(Frames.Unpinned());
        outbox.Enqueue(Frames.Chat("a4"));

        _connection.Resume();
        await Eventually.TrueAsync("the queue drained", () => outbox.QueuedFrames == 0, TimeSpan.FromSeconds(10));

        Assert.Equal(["ProductUnpinned", "chat:a1,a2", "chat:b1", "chat:a3", "ProductUnpinned", "chat:a4"], _connection.Written.Select(Frames.Describe));
    }

    [Fact]
    public void MustDeliverFramesOverTheBoundCloseTheConnectionAndFreeItsQueue()
    {
        var outbox = Outbox(maxFrames: 4);
        _connection.Stall();
        outbox.Enqueue(Frames.Unpinned());
        outbox.Enqueue(Frames.Chat("m1"));
        for (var i = 0; i < 4; i++)
        {
            outbox.Enqueue(Frames.Unpinned());
        }

        // Four must-deliver and one chat: the chat went first, and the queue was within its bound.
        Assert.False(_connection.Aborted);
        Assert.Equal(1, outbox.DroppedChatMessages);

        outbox.Enqueue(Frames.Unpinned());

        Assert.True(_connection.Aborted);
        Assert.Equal("overflow", outbox.ClosedBecause);
        Assert.Equal(0, outbox.QueuedFrames);
        Assert.Equal(0, outbox.QueuedBytes);
        outbox.Enqueue(Frames.Unpinned());
        Assert.Equal(0, outbox.QueuedFrames);
    }

    [Fact]
    public void AWriteBlockedLongerThanTheTimeoutClosesTheConnectionOnTheSweep()
    {
        var outbox = Outbox();
        _connection.Stall();
        outbox.Enqueue(Frames.Chat("m1"));

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(outbox.Sweep());
        Assert.False(_connection.Aborted);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(outbox.Sweep());
        Assert.True(_connection.Aborted);
        Assert.Equal("write_timeout", outbox.ClosedBecause);
    }

    [Fact]
    public async Task TheTimeoutIsPerWriteSoAConnectionWhoseWritesTrickleStaysOpenWithItsChatBounded()
    {
        // A write to a viewer that reads nothing can still complete after a pause (one did after 10.3 s in SlowViewerTests):
        // each write that completes restarts the clock, so such a viewer is closed only by a write blocked whole.
        var outbox = Outbox(maxFrames: 2);
        _connection.Stall();
        outbox.Enqueue(Frames.Chat("m1"));
        outbox.Enqueue(Frames.Chat("m2"));
        outbox.Enqueue(Frames.Chat("m3"));
        outbox.Enqueue(Frames.Chat("m4"));
        Assert.Equal(2, outbox.QueuedFrames);

        _time.Advance(TimeSpan.FromSeconds(9));
        _connection.Trickle();
        await Eventually.TrueAsync("the next write started", () => _connection.Written.Count == 2, TimeSpan.FromSeconds(10));

        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.False(outbox.Sweep());
        Assert.False(_connection.Aborted);
        Assert.True(outbox.DroppedChatMessages > 0);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(outbox.Sweep());
        Assert.Equal("write_timeout", outbox.ClosedBecause);
    }

    [Fact]
    public async Task AConnectionWhoseWritesTrickleIsClosedOnceAMustDeliverFrameHasWaitedItsBound()
    {
        // Every write completes inside the write timeout, but the viewer takes a frame only every 9 s: the unpin, queued
        // behind chat (of three rooms, so none is merged), would reach it ever later. Closed, it reconnects and resumes.
        var outbox = Outbox(maxFrames: 8);
        _connection.Stall();
        outbox.Enqueue(Frames.ChatIn("r1", "a"));
        outbox.Enqueue(Frames.ChatIn("r1", "b"));
        outbox.Enqueue(Frames.ChatIn("r2", "c"));
        outbox.Enqueue(Frames.ChatIn("r3", "d"));
        outbox.Enqueue(Frames.Unpinned());

        await TrickleOneAsync(after: TimeSpan.FromSeconds(9));
        await TrickleOneAsync(after: TimeSpan.FromSeconds(9));

        // 18 s since the unpin was queued, and it still waits behind a frame being written and one more.
        Assert.Equal(["chat:a", "chat:b", "chat:c"], _connection.Written.Select(Frames.Describe));
        _time.Advance(TimeSpan.FromSeconds(1.9));
        Assert.False(outbox.Sweep());
        Assert.False(_connection.Aborted);

        _time.Advance(TimeSpan.FromSeconds(0.1));
        Assert.True(outbox.Sweep());
        Assert.True(_connection.Aborted);
        Assert.Equal("must_deliver_timeout", outbox.ClosedBecause);
        Assert.Equal(0, outbox.QueuedFrames);

        async Task TrickleOneAsync(TimeSpan after)
        {
            _time.Advance(after);
            Assert.False(outbox.Sweep());
            var written = _connection.Written.Count;
            _connection.Trickle();
            await Eventually.TrueAsync("the next write started", () => _connection.Written.Count == written + 1, TimeSpan.FromSeconds(10));
        }
    }

    [Fact]
    public async Task OnlyMustDeliverFramesAreTimedInTheQueueSoATricklingViewerOfChatStaysOpen()
    {
        // Chat of three rooms comes three frames per 9 s and leaves one per 9 s: the queue's head waits ever longer
        // (36 s by the last sweep), yet nothing must-deliver waits, so only the bounds and the write timeout apply.
        var outbox = Outbox(maxFrames: 64);
        _connection.Stall();
        outbox.Enqueue(Frames.ChatIn("r0", "start"));
        for (var i = 0; i < 6; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(9));
            outbox.Enqueue(Frames.ChatIn("r1", $"a{i}"));
            outbox.Enqueue(Frames.ChatIn("r2", $"b{i}"));
            outbox.Enqueue(Frames.ChatIn("r3", $"c{i}"));
            Assert.False(outbox.Sweep());
            var written = _connection.Written.Count;
            _connection.Trickle();
            await Eventually.TrueAsync("the next write started", () => _connection.Written.Count == written + 1, TimeSpan.FromSeconds(10));
        }

        Assert.Equal("chat:c1", Frames.Describe(_connection.Written[^1]));
        Assert.False(_connection.Aborted);
        Assert.Null(outbox.ClosedBecause);
    }

    [Fact]
    public void AnIdleConnectionIsNeverSweptAway()
    {
        var outbox = Outbox();
        outbox.Enqueue(Frames.Chat("m1"));

        _time.Advance(TimeSpan.FromMinutes(5));

        Assert.False(outbox.Sweep());
        Assert.False(_connection.Aborted);
    }

    private ConnectionOutbox Outbox(int maxFrames = 256, long maxBytes = 1024 * 1024) =>
        new(_connection, new OutboxOptions { MaxFrames = maxFrames, MaxBytes = maxBytes, WriteTimeout = TimeSpan.FromSeconds(10), MustDeliverTimeout = TimeSpan.FromSeconds(20) }, _time, new DeliveryMetrics());
}
