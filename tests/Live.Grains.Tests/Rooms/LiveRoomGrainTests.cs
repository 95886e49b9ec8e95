using Live.Contracts;
using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Contracts.Rooms;
using Live.Grains.Rooms;
using Live.Grains.Tests.Infrastructure;
using Live.Testing;

namespace Live.Grains.Tests.Rooms;

[Collection(ClusterCollection.Name)]
public sealed class LiveRoomGrainTests(ClusterFixture fixture)
{
    private static readonly LiveRoomOptions Defaults = new();

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task ALiveRoomNobodyWatchesWhereNothingHappensEndsByItselfWithItsSales()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 10);
        var sale = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 5, durationSeconds: 24 * 3600));

        // A chat message near the end of the span starts it over: past the span from the start, the room stays live
        // through ticks that would have ended it.
        fixture.Advance(ClusterFixture.EndIdleAfter - TimeSpan.FromMinutes(10));
        var message = await room.SendChatAsync(Scenario.NewUser(), "anyone here?");
        await fixture.Events.WaitForAsync<ChatBatchEvent>(
            roomId, b => b.Messages.Any(m => m.Id == message.Id), "the chat message", () => fixture.Advance(Defaults.ChatTick), TimeSpan.FromMilliseconds(200));
        fixture.Advance(TimeSpan.FromMinutes(20));
        await TicksAsync(10);

        Assert.Equal(RoomStatus.Live, (await room.GetRoomAsync()).Status);
        Assert.Empty(fixture.Events.EventsOf<StreamEndedEvent>(roomId));

        // Then nobody for the whole span: the room ends as its host would end it, its sale with it.
        fixture.Advance(ClusterFixture.EndIdleAfter);
        var ended = (await fixture.Events.WaitForAsync<StreamEndedEvent>(
            roomId, _ => true, "the idle room's StreamEnded", () => fixture.Advance(Defaults.ChatTick), TimeSpan.FromMilliseconds(200))).Room;
        Assert.Equal(RoomStatus.Ended, ended.Status);
        Assert.Equal(ended, await room.GetRoomAsync());
        Assert.Equal(SaleStatus.Ended, (await Grains.GetGrain<IFlashSaleGrain>(sale.Id).GetAsync()).Status);
        Assert.Contains(await Grains.GetGrain<IRoomDirectoryGrain>(0).ListAsync(RoomStatus.Ended), r => r.Id == roomId);
        Assert.DoesNotContain(await Grains.GetGrain<IRoomDirectoryGrain>(0).ListAsync(RoomStatus.Live), r => r.Id == roomId);
    }

    [Fact]
    public async Task AnIdleRoomWhoseEndFindsStorageOutOfReachStaysLiveAndIsEndedOnceTheRetryWaitHasPassed()
    {
        var (room, roomId, _) = await Grains.CreateLiveRoomAsync();
        var blip = fixture.Faults.FailNextUnsent(StateNames.Room, roomId, count: 1);
        fixture.Advance(ClusterFixture.EndIdleAfter);
        for (var i = 0; blip.Hits == 0; i++)
        {
            Assert.True(i < 150, "the idle room's end never tried its write");
            await TicksAsync(1);
        }

        // Storage is back, but ticks within the retry wait do not try again (an outage would see one try a tick).
        await TicksAsync(10);

        Assert.Equal(RoomStatus.Live, (await room.GetRoomAsync()).Status);
        Assert.Empty(fixture.Events.EventsOf<StreamEndedEvent>(roomId));

        fixture.Advance(IdleRoomWatch.RetryAfter);
        var ended = await fixture.Events.WaitForAsync<StreamEndedEvent>(
            roomId, _ => true, "the idle room's end after the retry wait", () => fixture.Advance(Defaults.ChatTick), TimeSpan.FromMilliseconds(200));
        Assert.Equal(RoomStatus.Ended, ended.Room.Status);
        Assert.Single(fixture.Events.EventsOf<StreamEndedEvent>(roomId));
    }

    [Fact]
    public async Task ARoomGoesFromScheduledToLiveToEnded()
    {
        var roomId = Ids.New("room");
        var hostId = Ids.New("host");
        var grain = Grains.GetGrain<ILiveRoomGrain>(roomId);

        var created = await grain.CreateAsync(hostId, new NewRoom { Title = "  Spring drop  ", Description = "Line one\nLine two" });
        Assert.Equal(roomId, created.Id);
        Assert.Equal(hostId, created.HostId);
        Assert.Equal("Spring drop", created.Title);
        Assert.Equal("Line one\nLine two", created.Description);
        Assert.Equal(RoomStatus.Scheduled, created.Status);
        Assert.Equal(fixture.Clock.GetUtcNow(), created.CreatedAt);
        Assert.Null(created.StartedAt);
        Assert.Null(created.EndedAt);
        Assert.Contains(await Grains.GetGrain<IRoomDirectoryGrain>(0).ListAsync(RoomStatus.Scheduled), r => r.Id == roomId);

        fixture.Advance(TimeSpan.FromSeconds(1));
        var started = await grain.StartAsync(hostId);
        Assert.Equal(RoomStatus.Live, started.Status);
        Assert.Equal(fixture.Clock.GetUtcNow(), started.StartedAt);
        Assert.Equal(started, await grain.StartAsync(hostId));
        Assert.Equal(started, (await fixture.Events.WaitForAsync<StreamStartedEvent>(roomId, _ => true, "StreamStarted")).Room);
        Assert.Equal(started, Assert.Single(await Grains.GetGrain<IRoomDirectoryGrain>(0).ListAsync(RoomStatus.Live), r => r.Id == roomId));

        fixture.Advance(TimeSpan.FromSeconds(1));
        var ended = await grain.EndAsync(hostId);
        Assert.Equal(RoomStatus.Ended, ended.Status);
        Assert.Equal(started.StartedAt, ended.StartedAt);
        Assert.Equal(fixture.Clock.GetUtcNow(), ended.EndedAt);
        Assert.Equal(ended, await grain.EndAsync(hostId));
        Assert.Equal(ended, await grain.GetRoomAsync());
        Assert.Equal(ended, (await fixture.Events.WaitForAsync<StreamEndedEvent>(roomId, _ => true, "StreamEnded")).Room);
        Assert.Equal(ended, Assert.Single(await Grains.GetGrain<IRoomDirectoryGrain>(0).ListAsync(RoomStatus.Ended), r => r.Id == roomId));

        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => grain.StartAsync(hostId));
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => grain.CreateAsync(hostId, new NewRoom { Title = "Again" }));
        Assert.Single(fixture.Events.EventsOf<StreamStartedEvent>(roomId));
        Assert.Single(fixture.Events.EventsOf<StreamEndedEvent>(roomId));
    }

    /// <remarks>
    /// The room writes chat and likes behind, once per <see cref="LiveRoomOptions.PersistInterval"/>, from its tick. That
    /// write used to be awaited in the tick's turn, and every <c>SendChat</c> of the room waited behind its commit.
    /// </remarks>
    [Fact]
    public async Task ChatIsTakenWhileTheWriteBehindWaitsForStorageAndBothAreStoredAfter()
    {
        var (room, roomId, _) = await Grains.CreateLiveRoomAsync();
        var user = Scenario.NewUser();
        await room.SendChatAsync(user, "first");
        var held = fixture.Faults.HoldNext(StateNames.Room, roomId);

        fixture.Advance(Defaults.PersistInterval);
        await Eventually.GetAsync(
            "the room's write-behind reaching storage",
            () =>
            {
                fixture.Advance(Defaults.ChatTick);
                return Task.FromResult(held.Hits);
            },
            hits => hits > 0,
            ClusterFixture.CallTimeout,
            TimeSpan.FromMilliseconds(50));

        // The write is held in storage: the room answers chat all the same.
        await room.SendChatAsync(user, "second").WaitAsync(ClusterFixture.CallTimeout);
        Assert.Equal(["first", "second"], (await room.GetSnapshotAsync()).RecentChat.Select(m => m.Text));

        // Once storage answers, the write that was held and the chat that came meanwhile are both stored.
        held.Release(store: true);
        await fixture.Cluster.DeactivateAsync(room);
        Assert.Equal(["first", "second"], (await room.GetSnapshotAsync()).RecentChat.Select(m => m.Text));
    }

    [Fact]
    public async Task ARoomNeedsATitle()
    {
        var grain = Grains.GetGrain<ILiveRoomGrain>(Ids.New("room"));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => grain.CreateAsync("host", new NewRoom { Title = "   " }));
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => grain.GetRoomAsync());
    }

    [Fact]
    public async Task OnlyTheHostMayStartEndPinOrSell()
    {
        var (scheduled, _, scheduledHost) = await Grains.CreateRoomAsync();
        var product = await Grains.CreateProductAsync(owner: scheduledHost);
        var (live, liveId, liveHost) = await Grains.CreateLiveRoomAsync();
        var intruder = Ids.New("host");

        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => scheduled.StartAsync(intruder));
        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => scheduled.EndAsync(intruder));
        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => live.PinAsync(intruder, product.Id));
        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => live.UnpinAsync(intruder));
        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => live.StartFlashSaleAsync(intruder, Scenario.SaleOf(product)));
        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => live.EndAsync(intruder));

        Assert.Equal(RoomStatus.Scheduled, (await scheduled.GetRoomAsync()).Status);
        var snapshot = await live.GetSnapshotAsync();
        Assert.Equal(RoomStatus.Live, snapshot.Room.Status);
        Assert.Null(snapshot.PinnedProduct);
        Assert.Empty(snapshot.ActiveSales);
        Assert.Equal(100, await Grains.StockOfAsync(product.Id));
        Assert.Equal(RoomStatus.Live, (await scheduled.StartAsync(scheduledHost)).Status);
        await fixture.WaitForEarlierEventsAsync(live, liveId);
        Assert.Equal(new[] { typeof(StreamStartedEvent), typeof(ChatBatchEvent) }, fixture.Events.EventsOf(liveId).Select(e => e.GetType()));
        Assert.Equal(RoomStatus.Ended, (await live.EndAsync(liveHost)).Status);
    }

    [Fact]
    public async Task PinsAndFlashSalesAreRefusedUnlessTheRoomIsLive()
    {
        var (room, _, hostId) = await Grains.CreateRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);

        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => room.PinAsync(hostId, product.Id));
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => room.UnpinAsync(hostId));
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product)));

        await room.StartAsync(hostId);
        await room.EndAsync(hostId);

        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => room.PinAsync(hostId, product.Id));
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => room.UnpinAsync(hostId));
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product)));

        var snapshot = await room.GetSnapshotAsync();
        Assert.Null(snapshot.PinnedProduct);
        Assert.Empty(snapshot.ActiveSales);
        Assert.Equal(100, await Grains.StockOfAsync(product.Id));
    }

    [Fact]
    public async Task PinningShowsTheProductAndUnpinningRemovesIt()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);

        var pinned = await room.PinAsync(hostId, product.Id);
        Assert.Equal(product, pinned.PinnedProduct);
        Assert.Equal(product, (await room.GetSnapshotAsync()).PinnedProduct);
        Assert.Equal(product, (await fixture.Events.WaitForAsync<ProductPinnedEvent>(roomId, _ => true, "ProductPinned")).Product);

        var unpinned = await room.UnpinAsync(hostId);
        Assert.Null(unpinned.PinnedProduct);
        Assert.Null((await room.GetSnapshotAsync()).PinnedProduct);
        await fixture.Events.WaitForAsync<ProductUnpinnedEvent>(roomId, _ => true, "ProductUnpinned");

        // Unpinning with nothing pinned changes nothing and announces nothing.
        Assert.Null((await room.UnpinAsync(hostId)).PinnedProduct);
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.PinAsync(hostId, Ids.New("prod")));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => room.PinAsync(hostId, "no spaces allowed"));
        Assert.Null((await room.GetSnapshotAsync()).PinnedProduct);

        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Single(fixture.Events.EventsOf<ProductPinnedEvent>(roomId));
        Assert.Single(fixture.Events.EventsOf<ProductUnpinnedEvent>(roomId));
    }

    [Fact]
    public async Task AnUnknownRoomIsNotFound()
    {
        var room = Grains.GetGrain<ILiveRoomGrain>(Ids.New("room"));
        var user = Scenario.NewUser();
        var product = await Grains.CreateProductAsync();

        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.GetRoomAsync());
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.GetSnapshotAsync());
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.StartAsync("host"));
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.EndAsync("host"));
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.PinAsync("host", product.Id));
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.StartFlashSaleAsync("host", Scenario.SaleOf(product)));
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.SendChatAsync(user, "hello"));
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.LikeAsync(user, 1));
        Assert.Equal(100, await Grains.StockOfAsync(product.Id));
    }

    [Fact]
    public async Task AChatMessageOrLikeSentAgainWithItsIdIsAnsweredAsTheFirstAndTakenOnce()
    {
        // The hub gives each call an id and may send the call again across a silo's loss (a retry-safe call).
        var (room, _, _) = await Grains.CreateLiveRoomAsync();
        var user = Scenario.NewUser();
        var messageId = Ids.New("msg");

        var first = await room.SendChatAsync(user, "hello", messageId);
        Assert.Equal(messageId, first.Id);
        Assert.Equal(first, await room.SendChatAsync(user, "hello", messageId));
        Assert.Equal(first, Assert.Single((await room.GetSnapshotAsync()).RecentChat));

        var likeId = Ids.New("like");
        Assert.Equal(3, await room.LikeAsync(user, 3, likeId));
        Assert.Equal(3, await room.LikeAsync(user, 3, likeId));
        Assert.Equal(5, await room.LikeAsync(user, 2, Ids.New("like")));
        Assert.Equal(3, await room.LikeAsync(user, 3, likeId));

        // An id is its user's: another user's call with it is refused and sends nothing.
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => room.SendChatAsync(Scenario.NewUser(), "hi", messageId));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => room.SendChatAsync(user, "hi", ""));

        // The next activation knows the stored recent chat's ids: a repeat of one is not sent again.
        await fixture.Cluster.DeactivateAsync(room);
        Assert.Equal(first, await room.SendChatAsync(user, "hello", messageId));
        Assert.Equal(first, Assert.Single((await room.GetSnapshotAsync()).RecentChat));
    }

    [Fact]
    public async Task ChatTextMustBeOneTo500CharactersOfWellFormedText()
    {
        var (room, roomId, _) = await Grains.CreateLiveRoomAsync();
        var user = Scenario.NewUser();
        var refused = new (string Case, string Text)[]
        {
            ("empty", ""),
            ("whitespace", " \t \n "),
            ("501 characters", new string('a', 501)),
            ("501 characters inside spaces", "  " + new string('b', 501) + "  "),
            ("control character", "bell\u0007"),
        };

        foreach (var (name, text) in refused)
        {
            var error = await Record.ExceptionAsync(() => room.SendChatAsync(user, text));
            Assert.True(error is LiveException { Code: ErrorCodes.InvalidArgument }, $"{name}: expected {ErrorCodes.InvalidArgument}, got {error?.ToString() ?? "no error"}");
        }

        var longest = await room.SendChatAsync(user, "  " + new string('c', 500) + "  ");
        Assert.Equal(new string('c', 500), longest.Text);
        Assert.Equal(longest, Assert.Single((await room.GetSnapshotAsync()).RecentChat));

        fixture.Advance(Defaults.ChatTick);
        var batch = await fixture.Events.WaitForAsync<ChatBatchEvent>(
            roomId, _ => true, "the accepted message's ChatBatch", () => fixture.Advance(Defaults.ChatTick), TimeSpan.FromMilliseconds(200));
        Assert.Equal(longest, Assert.Single(batch.Messages) with { Seq = null });
    }

    [Fact]
    public async Task ChatWithALoneSurrogateNeverReachesTheRoomBroken()
    {
        var (room, _, _) = await Grains.CreateLiveRoomAsync();
        var user = Scenario.NewUser();

        // The rule the room applies refuses broken UTF-16...
        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<LiveException>(() => TextRules.Require("hi \ud83d there", "text", 500)).Code);
        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<LiveException>(() => TextRules.Require("\ude00", "text", 500)).Code);

        // ...but Orleans carries strings as UTF-8, which turns a lone surrogate into U+FFFD on the way, so through a grain
        // call the room only ever sees well-formed text. Refusing the original is the hub's job.
        var high = await room.SendChatAsync(user, "hi \ud83d there");
        var low = await room.SendChatAsync(user, "\ude00");
        Assert.Equal("hi \ufffd there", high.Text);
        Assert.Equal("\ufffd", low.Text);
        Assert.Equal(new[] { high, low }, (await room.GetSnapshotAsync()).RecentChat);
    }

    [Fact]
    public async Task ChatIsTrimmedAndOtherwiseStoredVerbatim()
    {
        var (room, roomId, _) = await Grains.CreateLiveRoomAsync();
        var user = Scenario.NewUser("Lin");
        const string Text = "<script>alert('x')</script> & \"quotes\" ünïcødé 😀";

        var message = await room.SendChatAsync(user, "  \t" + Text + " \n ");

        Assert.Equal(Text, message.Text);
        Assert.Equal(roomId, message.RoomId);
        Assert.Equal(user.UserId, message.UserId);
        Assert.Equal(user.DisplayName, message.DisplayName);
        Assert.Equal(fixture.Clock.GetUtcNow(), message.SentAt);
        Assert.StartsWith("msg_", message.Id, StringComparison.Ordinal);
        Assert.Equal(message, Assert.Single((await room.GetSnapshotAsync()).RecentChat));

        var batch = await fixture.Events.WaitForAsync<ChatBatchEvent>(
            roomId, _ => true, "the ChatBatch of the script message", () => fixture.Advance(Defaults.ChatTick), TimeSpan.FromMilliseconds(200));
        Assert.Equal(Text, Assert.Single(batch.Messages).Text);
    }

    [Fact]
    public async Task RecentChatKeepsTheLast50MessagesOldestFirst()
    {
        var (room, _, _) = await Grains.CreateRoomAsync();
        var user = Scenario.NewUser();

        // Chat is open before the show starts.
        for (var i = 1; i <= 55; i++)
        {
            await room.SendChatAsync(user, $"message {i}");
        }

        var recent = (await room.GetSnapshotAsync()).RecentChat;
        Assert.Equal(Enumerable.Range(6, 50).Select(i => $"message {i}"), recent.Select(m => m.Text));
    }

    [Fact]
    public async Task AQuietRoomSendsItsFirstMessageAtOnceAndTheRestOfTheTickInOneBatch()
    {
        var (room, roomId, _) = await Grains.CreateLiveRoomAsync();
        var alice = Scenario.NewUser("Alice");
        var bob = Scenario.NewUser("Bob");

        // The room's tick runs on the fake clock: until the test advances it, every message falls in one tick.
        List<ChatMessage> sent = [];
        for (var i = 1; i <= 6; i++)
        {
            sent.Add(await room.SendChatAsync(i % 2 == 0 ? bob : alice, $"line {i}"));
        }

        // Leading edge: the first message of a quiet room goes out without waiting for the tick.
        var first = await fixture.Events.WaitForAsync<ChatBatchEvent>(
            roomId, _ => true, "the first message, at once");
        Assert.Equal(sent[0], Assert.Single(first.Messages) with { Seq = null });

        var batch = await fixture.Events.WaitForAsync<ChatBatchEvent>(
            roomId, b => b.Messages.Any(m => m.Id == sent[1].Id), "the ChatBatch of the other five", () => fixture.Advance(Defaults.ChatTick), TimeSpan.FromMilliseconds(200));
        Assert.Equal(sent.Skip(1), batch.Messages.Select(m => m with { Seq = null }));
        Assert.Equal(2, fixture.Events.EventsOf<ChatBatchEvent>(roomId).Count);

        // The room sent a batch in this tick, so the next message waits for the following tick.
        var later = await room.SendChatAsync(alice, "line 7");
        var next = await fixture.Events.WaitForAsync<ChatBatchEvent>(
            roomId, b => b.Messages.Any(m => m.Id == later.Id), "the ChatBatch of line 7", () => fixture.Advance(Defaults.ChatTick), TimeSpan.FromMilliseconds(200));
        Assert.Equal(later, Assert.Single(next.Messages) with { Seq = null });
        Assert.Equal(3, fixture.Events.EventsOf<ChatBatchEvent>(roomId).Count);
    }

    [Fact]
    public async Task LikesAddUpAndTheirUpdatesAreCoalesced()
    {
        var (room, roomId, _) = await Grains.CreateLiveRoomAsync();
        var user = Scenario.NewUser();

        // The new room's tick is armed one ChatTick ahead; one advance fires it, and no other tick can run until the
        // test advances the clock again, so every like below is in place before the next tick looks at the total.
        Assert.Equal(1, await room.LikeAsync(user, 1));
        fixture.Advance(Defaults.ChatTick);
        await fixture.Events.WaitForAsync<LikesUpdatedEvent>(roomId, e => e.Likes == 1, "LikesUpdated with 1");

        // Within one LikesInterval of the last update nothing more goes out, however many ticks pass.
        long total = 1;
        for (var i = 1; i <= 20; i++)
        {
            total += i;
            Assert.Equal(total, await room.LikeAsync(user, i));
        }

        fixture.Advance(Defaults.ChatTick);
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => room.LikeAsync(user, 0));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => room.LikeAsync(user, Defaults.MaxLikesPerCall + 1));
        Assert.Equal(total, (await room.GetSnapshotAsync()).Likes);

        await fixture.Events.WaitForAsync<LikesUpdatedEvent>(
            roomId, e => e.Likes == total, $"LikesUpdated with {total}", () => fixture.Advance(Defaults.LikesInterval), TimeSpan.FromMilliseconds(200));
        Assert.Equal(new[] { 1L, total }, fixture.Events.EventsOf<LikesUpdatedEvent>(roomId).Select(e => e.Likes));
        Assert.Equal(211, total);
    }

    [Fact]
    public async Task ViewerReportsOfTwoHubsAreSummed()
    {
        var (room, roomId, _) = await Grains.CreateLiveRoomAsync();

        // Reports are one-way calls, which Orleans may deliver out of order: a ViewerCount event tells what the room took.
        await room.ReportViewersAsync("hub-a", 7);
        await room.ReportViewersAsync("hub-b", 5);
        await fixture.Events.WaitForAsync<ViewerCountEvent>(
            roomId, e => e.Viewers == 12, "ViewerCount of 12", () => fixture.Advance(Defaults.ViewersInterval), TimeSpan.FromMilliseconds(200));
        Assert.Equal(12, (await room.GetSnapshotAsync()).Viewers);

        // A hub's new report replaces its previous one. The sum waited for (8) is one no earlier event can have carried:
        // the first two reports may have been counted one at a time (7, or 5, then 12), and the events recorded
        // before stay in the record.
        await room.ReportViewersAsync("hub-a", 3);
        await fixture.Events.WaitForAsync<ViewerCountEvent>(
            roomId, e => e.Viewers == 8, "ViewerCount of 8", () => fixture.Advance(Defaults.ViewersInterval), TimeSpan.FromMilliseconds(200));
        Assert.Equal(8, (await room.GetSnapshotAsync()).Viewers);
    }

    [Fact]
    public async Task EndingARoomEndsItsOpenSales()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var shoes = await Grains.CreateProductAsync(owner: hostId, stock: 50);
        var bags = await Grains.CreateProductAsync(owner: hostId, stock: 20);
        var first = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(shoes, quantity: 10));
        var second = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(bags, quantity: 5, perUserLimit: 5));
        var buyer = Scenario.NewUser();
        Assert.Equal(PurchaseStatus.Confirmed, (await Grains.GetGrain<IFlashSaleGrain>(second.Id).BuyNowAsync(buyer, 2, "r1")).Result.Status);
        Assert.Equal(new[] { first.Id, second.Id }, (await room.GetSnapshotAsync()).ActiveSales.Select(s => s.Id));

        await room.EndAsync(hostId);

        Assert.Empty((await room.GetSnapshotAsync()).ActiveSales);
        foreach (var sale in new[] { first, second })
        {
            var ended = await fixture.Events.WaitForAsync<FlashSaleEndedEvent>(roomId, e => e.Sale.Id == sale.Id, $"FlashSaleEnded of {sale.Id}");
            Assert.Equal(SaleStatus.Ended, ended.Sale.Status);
            Assert.Equal(SaleStatus.Ended, (await Grains.GetGrain<IFlashSaleGrain>(sale.Id).GetAsync()).Status);
        }

        var late = await Grains.GetGrain<IFlashSaleGrain>(first.Id).BuyNowAsync(buyer, 1, "r2");
        Assert.Equal(new PurchaseResult { Status = PurchaseStatus.NotActive, Quantity = 0, Remaining = 10 }, late.Result);

        // Unsold units are back in stock: all of the first sale, three of five of the second.
        Assert.Equal(50, await Grains.StockOfAsync(shoes.Id));
        Assert.Equal(18, await Grains.StockOfAsync(bags.Id));
        await fixture.Events.WaitForAsync<StreamEndedEvent>(roomId, _ => true, "StreamEnded");
        Assert.Equal(2, fixture.Events.EventsOf<FlashSaleEndedEvent>(roomId).Count);
    }

    [Fact]
    public async Task ChatAndLikesSurviveTheRoomGoingToSleep()
    {
        var (room, _, _) = await Grains.CreateLiveRoomAsync();
        var user = Scenario.NewUser();
        var message = await room.SendChatAsync(user, "still here?");
        await room.LikeAsync(user, 5);

        // Chat and likes are written behind; deactivation writes what is pending.
        await fixture.Cluster.DeactivateAsync(room);

        var snapshot = await room.GetSnapshotAsync();
        Assert.Equal(message, Assert.Single(snapshot.RecentChat));
        Assert.Equal(5, snapshot.Likes);
        Assert.Equal(RoomStatus.Live, snapshot.Room.Status);
    }

    /// <summary>Moves the fake clock on by <paramref name="count"/> chat ticks, giving the room's timer real time to run each one.</summary>
    private async Task TicksAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            fixture.Advance(Defaults.ChatTick);
            await Task.Delay(100);
        }
    }
}
