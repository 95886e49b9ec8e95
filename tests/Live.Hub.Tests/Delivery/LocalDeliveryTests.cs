using Live.Contracts.Orders;
using Live.Hub.Delivery;
using Live.Hub.Realtime;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Live.Hub.Tests.Delivery;

public sealed class LocalDeliveryTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task OneStalledViewerHoldsBackNobodyElseAndCostsBoundedMemory()
    {
        using var delivery = Delivery(framesPerSecond: 10_000_000);
        var viewers = Enumerable.Range(1, 3).Select(i => new FakeOutboxConnection($"c{i}")).ToArray();
        foreach (var viewer in viewers)
        {
            delivery.Connected(viewer);
            Assert.True(delivery.TryJoin(viewer.ConnectionId, "r1"));
        }

        viewers[1].Stall();
        for (var i = 0; i < 100; i++)
        {
            delivery.ToRoom("r1", nameof(ILiveClient.ChatBatch), [new[] { Frames.Message($"m{i}") }]);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        var expected = Enumerable.Range(0, 100).Select(i => $"m{i}");
        Assert.Equal(expected, viewers[0].Written.SelectMany(f => f.Chat).Select(m => m.Id));
        Assert.Equal(expected, viewers[2].Written.SelectMany(f => f.Chat).Select(m => m.Id));
        var stalled = delivery.OutboxOf("c2")!;
        Assert.Equal(8, stalled.QueuedFrames);
        Assert.Equal(91, stalled.DroppedChatMessages);

        viewers[1].Resume();
        await Eventually.TrueAsync("the stalled viewer's queue drained", () => stalled.QueuedFrames == 0, TimeSpan.FromSeconds(10));
        Assert.Equal(["m0", "m92", "m93", "m94", "m95", "m96", "m97", "m98", "m99"], viewers[1].Written.SelectMany(f => f.Chat).Select(m => m.Id));
    }

    [Fact]
    public async Task ABigRoomsChatIsPacedByTheFrameBudgetAndAnotherEventTakesItFirst()
    {
        // 10 viewers at 100 frames a second: one chat frame earned per 100 ms, one in hand at most.
        using var delivery = Delivery(framesPerSecond: 100, chatBurst: 1);
        var viewers = Enumerable.Range(1, 10).Select(i => new FakeOutboxConnection($"c{i}")).ToArray();
        foreach (var viewer in viewers)
        {
            delivery.Connected(viewer);
            delivery.TryJoin(viewer.ConnectionId, "r1");
        }

        Chat(delivery, "m1");
        _time.Advance(TimeSpan.FromMilliseconds(10));
        Chat(delivery, "m2");
        _time.Advance(TimeSpan.FromMilliseconds(40));
        Chat(delivery, "m3");
        Assert.All(viewers, v => Assert.Equal(["chat:m1"], v.Written.Select(Frames.Describe)));

        // The held chat leaves through the room's worker, on a pool thread.
        _time.Advance(TimeSpan.FromMilliseconds(50));
        await Eventually.TrueAsync("the held chat's frame", () => viewers.All(v => v.Written.Count == 2), TimeSpan.FromSeconds(10));
        Assert.All(viewers, v => Assert.Equal(["chat:m1", "chat:m2,m3"], v.Written.Select(Frames.Describe)));

        _time.Advance(TimeSpan.FromMilliseconds(10));
        Chat(delivery, "m4");
        delivery.ToRoom("r1", nameof(ILiveClient.ProductUnpinned), [new RoomRef("r1")]);
        Assert.All(viewers, v => Assert.Equal(["chat:m1", "chat:m2,m3", "chat:m4", "ProductUnpinned"], v.Written.Select(Frames.Describe)));
    }

    [Fact]
    public void ASmallRoomsChatPassesStraightThrough()
    {
        using var delivery = Delivery(framesPerSecond: 20_000);
        var viewer = new FakeOutboxConnection();
        delivery.Connected(viewer);
        delivery.TryJoin(viewer.ConnectionId, "r1");

        // One viewer of 20,000 frames a second: 50 µs between frames, far below the room grain's own tick.
        Chat(delivery, "m1");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Chat(delivery, "m2");

        Assert.Equal(["chat:m1", "chat:m2"], viewer.Written.Select(Frames.Describe));
    }

    [Fact]
    public async Task PostedEventsLeaveInOrderAndChatPostedDuringAFanOutLeavesAsOneFrame()
    {
        using var delivery = Delivery(framesPerSecond: 20_000);
        using var slow = new GatedOutboxConnection("c1");
        var other = new FakeOutboxConnection("c2");
        foreach (var viewer in new IOutboxConnection[] { slow, other })
        {
            delivery.Connected(viewer);
            delivery.TryJoin(viewer.ConnectionId, "r1");
        }

        // The fan-out of m1 blocks at the first viewer; the poster does not wait for it.
        slow.Shut();
        Post(delivery, "m1");
        await Eventually.TrueAsync("the fan-out of m1 under way", () => slow.Waiting, TimeSpan.FromSeconds(10));
        Post(delivery, "m2");
        Post(delivery, "m3");
        delivery.Post("r1", nameof(ILiveClient.ProductUnpinned), [new RoomRef("r1")]);
        Post(delivery, "m4");
        Assert.Empty(other.Written);

        slow.Open();
        string[] expected = ["chat:m1", "chat:m2,m3", "ProductUnpinned", "chat:m4"];
        await Eventually.TrueAsync("every posted event fanned out", () => other.Written.Count == expected.Length && slow.Written.Length == expected.Length, TimeSpan.FromSeconds(10));
        Assert.Equal(expected, other.Written.Select(Frames.Describe));
        Assert.Equal(expected, slow.Written.Select(Frames.Describe));
    }

    [Fact]
    public async Task ARoomsInboxPastItsBoundDropsTheOldestChatFirstThenTheOldestValuesAndCountsThem()
    {
        using var dropped = new MetricCollector<long>(null, LiveHubMetrics.MeterName, "redlive.hub.room_inbox.dropped");
        using var delivery = Delivery(framesPerSecond: 20_000, maxRoomInbox: 4);
        using var slow = new GatedOutboxConnection("c1");
        delivery.Connected(slow);
        delivery.TryJoin(slow.ConnectionId, "r1");

        // The fan-out of m1 blocks: what is posted meanwhile waits in the room's inbox, four events at most.
        slow.Shut();
        Post(delivery, "m1");
        await Eventually.TrueAsync("the fan-out of m1 under way", () => slow.Waiting, TimeSpan.FromSeconds(10));
        Post(delivery, "m2", "m3");
        delivery.Post("r1", nameof(ILiveClient.ProductUnpinned), [new RoomRef("r1")]);
        Post(delivery, "m4");

        // Each event past four drops the oldest chat message (m2 from inside its batch), then the oldest value.
        Post(delivery, "m5");
        PostViewers(delivery, 1);
        PostViewers(delivery, 2);
        PostViewers(delivery, 3);
        PostViewers(delivery, 4);
        delivery.Post("r1", nameof(ILiveClient.ProductUnpinned), [new RoomRef("r1")]);

        slow.Open();
        string[] expected = ["chat:m1", "ProductUnpinned", "viewers:3", "viewers:4", "ProductUnpinned"];
        await Eventually.TrueAsync("the inbox fanned out", () => slow.Written.Length == expected.Length, TimeSpan.FromSeconds(10));
        Assert.Equal(expected, slow.Written.Select(Frames.Describe));
        var counted = dropped.GetMeasurementSnapshot();
        Assert.Equal(4, counted.Where(m => Equals(m.Tags["lane"], "droppable")).EvaluateAsCounter());
        Assert.Equal(2, counted.Where(m => Equals(m.Tags["lane"], "latest_value")).EvaluateAsCounter());
        Assert.Equal(6, counted.EvaluateAsCounter());
    }

    [Fact]
    public void AViewerWhoLeftOrDisconnectedGetsNothingMore()
    {
        using var delivery = Delivery(framesPerSecond: 20_000);
        var (stays, leaves, quits) = (new FakeOutboxConnection("c1"), new FakeOutboxConnection("c2"), new FakeOutboxConnection("c3"));
        foreach (var viewer in new[] { stays, leaves, quits })
        {
            delivery.Connected(viewer);
            delivery.TryJoin(viewer.ConnectionId, "r1");
        }

        Assert.True(delivery.TryLeave("c2", "r1"));
        delivery.Disconnected("c3");
        Chat(delivery, "m1");

        Assert.Single(stays.Written);
        Assert.Empty(leaves.Written);
        Assert.Empty(quits.Written);
        Assert.Equal(1, delivery.ViewersOf("r1"));
        Assert.False(delivery.TryJoin("c3", "r1"));
        Assert.False(delivery.ToConnection("c3", nameof(ILiveClient.RemovedFromRoom), []));
    }

    [Fact]
    public void AnOrderAnsweredOnAConnectionSkipsItsConfirmationThereOnceAndReachesTheBuyersOtherConnections()
    {
        using var delivery = Delivery(framesPerSecond: 10_000_000);
        var buying = new FakeOutboxConnection("c1");
        var phone = new FakeOutboxConnection("c2");
        delivery.Connected(buying, "u1");
        delivery.Connected(phone, "u1");

        delivery.AnsweredOrder("c1", "o1");
        Assert.Equal(1, delivery.ToUser("u1", nameof(ILiveClient.PurchaseConfirmed), [Order("o1")]));
        Assert.Equal(2, delivery.ToUser("u1", nameof(ILiveClient.PurchaseConfirmed), [Order("o2")]));

        // Once: the same order sent again (another server's copy, a checkout's) reaches the connection.
        Assert.Equal(2, delivery.ToUser("u1", nameof(ILiveClient.PurchaseConfirmed), [Order("o1")]));
        Assert.Equal(["o2", "o1"], buying.Written.Select(f => ((Order)f.Args[0]!).Id));
        Assert.Equal(["o1", "o2", "o1"], phone.Written.Select(f => ((Order)f.Args[0]!).Id));

        // Bounded: past the bound the oldest answered order is forgotten, and its confirmation arrives (a duplicate).
        for (var i = 0; i <= LocalDelivery.MaxAnsweredOrders; i++)
        {
            delivery.AnsweredOrder("c1", $"b{i}");
        }

        Assert.Equal(2, delivery.ToUser("u1", nameof(ILiveClient.PurchaseConfirmed), [Order("b0")]));
        Assert.Equal(1, delivery.ToUser("u1", nameof(ILiveClient.PurchaseConfirmed), [Order("b1")]));
    }

    [Fact]
    public async Task AFanOutThatThrowsIsCountedAsALoss()
    {
        using var failures = new MetricCollector<long>(null, LiveHubMetrics.MeterName, "redlive.hub.delivery.fanout_failures");
        using var delivery = Delivery(framesPerSecond: 10_000_000);
        var viewer = new FakeOutboxConnection("c1");
        delivery.Connected(viewer);
        delivery.TryJoin(viewer.ConnectionId, "r1");

        // The first write never completes, so the next frame is queued, and sized: sizing it throws inside the fan-out.
        viewer.Stall();
        Post(delivery, "m1");
        await Eventually.TrueAsync("m1 written", () => viewer.Written.Count == 1, TimeSpan.FromSeconds(10));
        viewer.FailSizing();
        Post(delivery, "m2");

        await Eventually.TrueAsync("the failed fan-out counted", () => failures.GetMeasurementSnapshot().Count == 1, TimeSpan.FromSeconds(10));
        Assert.Equal(1, failures.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    private static Order Order(string id) => new()
    {
        Id = id,
        UserId = "u1",
        Items = [],
        Total = 1m,
        Status = OrderStatus.Confirmed,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };

    private static void Post(LocalDelivery delivery, params string[] ids) =>
        delivery.Post("r1", nameof(ILiveClient.ChatBatch), [ids.Select(id => Frames.Message(id)).ToArray()]);

    private static void PostViewers(LocalDelivery delivery, long viewers) =>
        delivery.Post("r1", nameof(ILiveClient.ViewerCount), [new ViewerCountUpdate("r1", viewers)]);

    private static void Chat(LocalDelivery delivery, string id) =>
        delivery.ToRoom("r1", nameof(ILiveClient.ChatBatch), [new[] { Frames.Message(id) }]);

    private LocalDelivery Delivery(int framesPerSecond, int chatBurst = 3, int maxRoomInbox = 10_000) => new(
        Options.Create(new OutboxOptions { MaxFrames = 8, MaxRoomInbox = maxRoomInbox }),
        Options.Create(new FrameBudgetOptions { FramesPerSecond = framesPerSecond, ChatBurst = chatBurst }),
        _time,
        new DeliveryMetrics());
}
