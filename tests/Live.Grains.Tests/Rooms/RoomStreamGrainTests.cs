using Live.Contracts;
using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Contracts.Rooms;
using Live.Grains.Rooms;
using Live.Grains.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace Live.Grains.Tests.Rooms;

/// <summary>Issue 12, items 1 to 3 at the grain: the room numbers its stream, retains it and answers resumes.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RoomStreamGrainTests(ClusterFixture fixture)
{
    private static readonly LiveRoomOptions Defaults = new();

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task EveryEventTheRoomSendsIsNumberedWithoutHolesTheSalesIncluded()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);
        await room.PinAsync(hostId, product.Id);
        var sale = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 2, perUserLimit: 2));
        var user = Scenario.NewUser();
        await room.SendChatAsync(user, "one");
        await room.SendChatAsync(user, "two");
        await room.SendChatAsync(user, "three");
        await Grains.GetGrain<IFlashSaleGrain>(sale.Id).BuyNowAsync(user, 2, "buy-all");
        await fixture.Events.WaitForAsync<FlashSaleEndedEvent>(roomId, e => e.Sale.Id == sale.Id, "the sold-out sale's end");
        await room.UnpinAsync(hostId);
        await fixture.WaitForEarlierEventsAsync(room, roomId);

        var events = fixture.Events.EventsOf(roomId);
        var seqs = events.SelectMany(e => e is ChatBatchEvent b ? b.Messages.Select(m => m.Seq!.Value) : [e.Seq]).ToArray();
        Assert.Equal(Enumerable.Range((int)seqs[0], seqs.Length).Select(n => (long)n), seqs);
        Assert.All(events.OfType<ChatBatchEvent>(), b => Assert.Equal(b.Messages[^1].Seq, b.Seq));
        Assert.Contains(events, e => e is FlashSaleUpdatedEvent);

        // The room's own snapshot agrees with what it sent: the sold-out sale is gone from it.
        var snapshot = await room.JoinAsync(null);
        Assert.Equal(seqs[^1], snapshot.Seq);
        Assert.Empty(snapshot.ActiveSales);
    }

    [Fact]
    public async Task ABigRoomFoldsASalesProgressBeforeNumberingItAndSendsTheNewestAtItsInterval()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);
        var sale = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 100, perUserLimit: 100));

        // 100,000 viewers: the room's value interval is its longest (Rooms:MaxValueInterval, 5 s by default).
        await MakeBigAsync(room, roomId);

        // Progress as the sale announces it, three times within the interval: the first goes out, the others wait.
        await room.AnnounceAsync(Progress(roomId, sale.Id, sold: 1, quantity: 100));
        await room.AnnounceAsync(Progress(roomId, sale.Id, sold: 2, quantity: 100));
        await room.AnnounceAsync(Progress(roomId, sale.Id, sold: 3, quantity: 100));
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Equal([1], SoldShown(roomId, sale.Id));

        // Once the interval has passed, the room's tick sends the newest: 2 was folded into 3, never numbered.
        await fixture.Events.WaitForAsync<FlashSaleUpdatedEvent>(roomId, e => e.Progress.SaleId == sale.Id && e.Progress.Sold == 3, "the held progress", () => fixture.Advance(TimeSpan.FromMilliseconds(500)), TimeSpan.FromMilliseconds(100));
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Equal([1, 3], SoldShown(roomId, sale.Id));
        // A watched room's heartbeat (not numbered) aside, every event numbered without a hole.
        var events = fixture.Events.EventsOf(roomId).Where(e => e.IsSequenced);
        var seqs = events.SelectMany(e => e is ChatBatchEvent b ? b.Messages.Select(m => m.Seq!.Value) : [e.Seq]).ToArray();
        Assert.Equal(Enumerable.Range((int)seqs[0], seqs.Length).Select(n => (long)n), seqs);

        // The room's own view took every progress as it came.
        Assert.Equal(97, Assert.Single((await room.JoinAsync(null)).ActiveSales).Remaining);
    }

    [Fact]
    public async Task ABigRoomDropsTheProgressItHeldWhenTheSaleEndsAndSendsWhatItHeldBeforeItSleeps()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);
        var ends = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, perUserLimit: 10));
        var sleeps = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, perUserLimit: 10));
        await MakeBigAsync(room, roomId);
        foreach (var saleId in new[] { ends.Id, sleeps.Id })
        {
            await room.AnnounceAsync(Progress(roomId, saleId, sold: 1));
            await room.AnnounceAsync(Progress(roomId, saleId, sold: 2)); // held
        }

        // The sale's end carries its last state: the progress held for it is older and never goes, even past the interval.
        await room.AnnounceAsync(new FlashSaleEndedEvent { RoomId = roomId, Sale = ends with { Status = SaleStatus.SoldOut, Remaining = 0 } });
        fixture.Advance(TimeSpan.FromSeconds(1));
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Equal([1], SoldShown(roomId, ends.Id));

        // Put to sleep, the room sends what it still held: the next activation starts with nothing held.
        await fixture.Cluster.DeactivateAsync(room);
        await fixture.Events.WaitForAsync<FlashSaleUpdatedEvent>(roomId, e => e.Progress.SaleId == sleeps.Id && e.Progress.Sold == 2, "the progress held when the room went to sleep");
        fixture.Advance(TimeSpan.FromSeconds(10));
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Equal([1], SoldShown(roomId, ends.Id));
        Assert.Equal([1, 2], SoldShown(roomId, sleeps.Id));
    }

    [Fact]
    public async Task AnEndedBigRoomTicksOnUntilItHasSentTheProgressItHolds()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        await MakeBigAsync(room, roomId);
        await room.EndAsync(hostId);
        await fixture.Events.WaitForAsync<StreamEndedEvent>(roomId, _ => true, "the room's end");

        // Progress that reaches the room after its end, with no end of its sale behind it: the second is held. An ended
        // room stops its tick once it has nothing left to send; stopped with this held, it would never go.
        const string saleId = "sale-late";
        await room.AnnounceAsync(Progress(roomId, saleId, sold: 1));
        await room.AnnounceAsync(Progress(roomId, saleId, sold: 2));
        await fixture.Events.WaitForAsync<FlashSaleUpdatedEvent>(roomId, e => e.Progress.SaleId == saleId && e.Progress.Sold == 2, "the progress held in the ended room", () => fixture.Advance(TimeSpan.FromMilliseconds(500)), TimeSpan.FromMilliseconds(100));
        Assert.Equal([1, 2], SoldShown(roomId, saleId));
    }

    /// <summary>100,000 viewers on one hub: the room's value interval is its longest (Rooms:MaxValueInterval).</summary>
    private async Task MakeBigAsync(ILiveRoomGrain room, string roomId)
    {
        await room.ReportViewersAsync("hub-big", 100_000);
        await fixture.Events.WaitForAsync<ViewerCountEvent>(roomId, e => e.Viewers == 100_000, "the big room's viewer count", () => fixture.Advance(Defaults.ChatTick), TimeSpan.FromMilliseconds(200));
    }

    private static FlashSaleUpdatedEvent Progress(string roomId, string saleId, int sold, int quantity = 10) => new()
    {
        RoomId = roomId,
        Progress = new FlashSaleProgress { SaleId = saleId, Remaining = quantity - sold, Sold = sold, RecentBuyers = [] },
    };

    private int[] SoldShown(string roomId, string saleId) =>
        [.. fixture.Events.EventsOf<FlashSaleUpdatedEvent>(roomId).Where(e => e.Progress.SaleId == saleId).Select(e => e.Progress.Sold)];

    [Fact]
    public async Task AJoinSnapshotStandsAfterEverythingItShowsAndRestSnapshotsCarryNoPosition()
    {
        var (room, roomId, _) = await Grains.CreateLiveRoomAsync();
        var user = Scenario.NewUser();
        var first = await room.SendChatAsync(user, "first, sent at once");
        var firstBatch = await fixture.Events.WaitForAsync<ChatBatchEvent>(roomId, b => b.Messages.Any(m => m.Id == first.Id), "the first message");

        // Within the tick of that batch: this one waits for the next tick, but is numbered and shown already.
        var pending = await room.SendChatAsync(user, "second, pending");

        var joined = await room.JoinAsync(user.UserId);
        Assert.Equal(firstBatch.Seq + 1, joined.Seq);
        Assert.NotNull(joined.Epoch);
        Assert.Equal([first.Id, pending.Id], joined.RecentChat.Select(m => m.Id));
        Assert.All(joined.RecentChat, m => Assert.Null(m.Seq));
        Assert.Null(first.Seq);

        // A resume from the first batch answers the pending message, from the batcher.
        var resumed = await room.ResumeAsync(user.UserId, joined.Epoch!, firstBatch.Seq);
        Assert.True(resumed.Resumed);
        Assert.Equal(joined.Seq, resumed.Seq);
        Assert.Equal([pending.Id], Assert.IsType<ChatBatchEvent>(Assert.Single(resumed.Events!)).Messages.Select(m => m.Id));
        Assert.Empty((await room.ResumeAsync(user.UserId, joined.Epoch!, joined.Seq!.Value)).Events!);

        var rest = await room.GetSnapshotAsync();
        Assert.Null(rest.Epoch);
        Assert.Null(rest.Seq);
        Assert.Equal([first.Id, pending.Id], rest.RecentChat.Select(m => m.Id));

        // The pending message comes in the next batch with the number the snapshot stands at.
        var batch = await fixture.Events.WaitForAsync<ChatBatchEvent>(
            roomId, b => b.Messages.Any(m => m.Id == pending.Id), "the pending message", () => fixture.Advance(Defaults.ChatTick), TimeSpan.FromMilliseconds(200));
        Assert.Equal(joined.Seq, batch.Messages.Single(m => m.Id == pending.Id).Seq);
    }

    [Fact]
    public async Task AMessageDeletedBeforeItsBatchGoesOutThenItsDeletionSoNoNumberIsSkipped()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var user = Scenario.NewUser();
        await room.SendChatAsync(user, "first, sent at once");
        var pending = await room.SendChatAsync(user, "pending, then deleted");

        Assert.True(await room.DeleteChatAsync(new Actor { UserId = hostId, IsModerator = false }, pending.Id));

        var deleted = await fixture.Events.WaitForAsync<ChatDeletedEvent>(roomId, e => e.MessageId == pending.Id, "the deletion");
        var batch = fixture.Events.EventsOf<ChatBatchEvent>(roomId).Single(b => b.Messages.Any(m => m.Id == pending.Id));
        Assert.Equal(batch.Seq + 1, deleted.Seq);
        Assert.DoesNotContain(pending.Id, (await room.JoinAsync(null)).RecentChat.Select(m => m.Id));
    }

    [Fact]
    public async Task AResumeAnswersWhatWasSentAfterItsSeqOrElseASnapshot()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);
        var user = Scenario.NewUser();
        var joined = await room.JoinAsync(user.UserId);

        await room.PinAsync(hostId, product.Id);
        var message = await room.SendChatAsync(user, "while away");
        await fixture.WaitForEarlierEventsAsync(room, roomId);

        var resumed = await room.ResumeAsync(user.UserId, joined.Epoch!, joined.Seq!.Value);
        Assert.True(resumed.Resumed);
        Assert.Null(resumed.Snapshot);
        Assert.Equal(joined.Epoch, resumed.Epoch);
        Assert.Collection(
            resumed.Events!,
            e => Assert.Equal(product.Id, Assert.IsType<ProductPinnedEvent>(e).Product.Id),
            // Two batches sent (the leading edge, then the tick's), answered as one.
            e => Assert.Equal([message.Text, "barrier"], Assert.IsType<ChatBatchEvent>(e).Messages.Select(m => m.Text)));
        Assert.Equal(resumed.Events![^1].Seq, resumed.Seq);

        var nothingMissed = await room.ResumeAsync(user.UserId, joined.Epoch!, resumed.Seq);
        Assert.True(nothingMissed.Resumed);
        Assert.Empty(nothingMissed.Events!);

        var otherEpoch = await room.ResumeAsync(user.UserId, "ep_another", joined.Seq!.Value);
        Assert.False(otherEpoch.Resumed);
        Assert.Null(otherEpoch.Events);
        Assert.Equal(resumed.Seq, otherEpoch.Snapshot!.Seq);
        Assert.Equal(product.Id, otherEpoch.Snapshot.PinnedProduct!.Id);

        // A first epoch retains its room from the start: a resume from 0 is every event. One from beyond the last is not.
        var fromStart = (await room.ResumeAsync(user.UserId, joined.Epoch!, 0)).Events!;
        Assert.IsType<StreamStartedEvent>(fromStart[0]);
        Assert.Equal(resumed.Events.Select(e => e.Seq), fromStart.Skip(1).Select(e => e.Seq));
        Assert.False((await room.ResumeAsync(user.UserId, joined.Epoch!, resumed.Seq + 1)).Resumed);

        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => room.ResumeAsync(user.UserId, joined.Epoch!, -1));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => room.ResumeAsync(user.UserId, "", 1));
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => Grains.GetGrain<ILiveRoomGrain>(Ids.New("room")).ResumeAsync(null, joined.Epoch!, 1));
    }

    [Fact]
    public async Task ABannedUserCannotResume()
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var user = Scenario.NewUser();
        var joined = await room.JoinAsync(user.UserId);

        await room.BanAsync(new Actor { UserId = hostId, IsModerator = false }, user.UserId, banned: true);

        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => room.ResumeAsync(user.UserId, joined.Epoch!, joined.Seq!.Value));
    }

    [Fact]
    public async Task AGracefullyDeactivatedRoomKeepsItsEpochAndWindowAndNumbersOnWithoutAHole()
    {
        var (room, roomId, _) = await Grains.CreateLiveRoomAsync();
        var user = Scenario.NewUser();
        var before = await room.JoinAsync(null);
        var said = await room.SendChatAsync(user, "before sleep");
        await fixture.Events.WaitForAsync<ChatBatchEvent>(roomId, b => b.Messages.Any(m => m.Id == said.Id), "the message before sleep");
        var asleep = await room.JoinAsync(null);

        await fixture.Cluster.DeactivateAsync(room);

        var after = await room.JoinAsync(null);
        Assert.Equal(before.Epoch, after.Epoch);
        Assert.Equal(asleep.Seq, after.Seq);
        var resumed = await room.ResumeAsync(null, before.Epoch!, before.Seq!.Value);
        Assert.True(resumed.Resumed);
        Assert.Contains(resumed.Events!.OfType<ChatBatchEvent>().SelectMany(b => b.Messages), m => m.Id == said.Id);

        var message = await room.SendChatAsync(user, "after waking");
        var batch = await fixture.Events.WaitForAsync<ChatBatchEvent>(roomId, b => b.Messages.Any(m => m.Id == message.Id), "the first message after waking");
        Assert.Equal(after.Seq + 1, batch.Messages.Single(m => m.Id == message.Id).Seq);
    }

    [Fact]
    public async Task AWriteBehindThatFindsStorageOutOfReachKeepsTheRoomServingItsStreamAndWritesAgainLater()
    {
        var (room, roomId, _) = await Grains.CreateLiveRoomAsync();
        var user = Scenario.NewUser();
        await room.SendChatAsync(user, "before the blip");
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        var before = await room.JoinAsync(null);

        // Storage out of reach for the room's next two write-behinds (a Redis restart); the third is held by the test.
        using var deferred = new MetricCollector<long>(null, LiveGrainMetrics.MeterName, "redlive.rooms.write_behind_deferred");
        var blip = fixture.Faults.FailNext(StateNames.Room, roomId, count: 2, unreachable: true);
        var third = fixture.Faults.HoldNext(StateNames.Room, roomId);
        var during = await room.SendChatAsync(user, "during the blip");
        await NudgeUntilAsync(() => blip.Hits == 2, "two write-behinds that found storage out of reach");

        Assert.True(deferred.GetMeasurementSnapshot().Sum(m => m.Value) >= 2, "the deferred write-behinds are counted");

        // The room serves on, on the same stream: nothing it answered is lost and nobody is sent back to a snapshot.
        var later = await room.SendChatAsync(user, "after the blip");
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        var now = await room.JoinAsync(null);
        Assert.Equal(before.Epoch, now.Epoch);
        Assert.Equal(["before the blip", "during the blip", "after the blip"], now.RecentChat.Where(m => m.UserId == user.UserId).Select(m => m.Text));
        var resumed = await room.ResumeAsync(null, before.Epoch!, before.Seq!.Value);
        Assert.True(resumed.Resumed);
        Assert.Equal(
            [during.Id, later.Id],
            resumed.Events!.OfType<ChatBatchEvent>().SelectMany(b => b.Messages).Where(m => m.UserId == user.UserId).Select(m => m.Id));

        // The next write-behind stores what the failed ones could not: an activation that then loses its window (its
        // deactivation's write, which waits for that write-behind, fails) reloads the message from storage.
        await NudgeUntilAsync(() => third.Hits == 1, "the write-behind after the blip");
        third.Release(store: true);
        fixture.Faults.FailNext(StateNames.Room, roomId);
        await fixture.Cluster.DeactivateAsync(room);
        var reloaded = await room.JoinAsync(null);
        Assert.NotEqual(before.Epoch, reloaded.Epoch);
        Assert.Contains(reloaded.RecentChat, m => m.Id == during.Id);
    }

    [Fact]
    public async Task AChangeThatFindsStorageOutOfReachIsTakenBackAndAnsweredUnavailableWhileTheRoomKeepsItsStream()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);
        var host = new Actor { UserId = hostId, IsModerator = false };
        var user = Scenario.NewUser();
        var troll = Scenario.NewUser("Troll");
        var before = await room.JoinAsync(null);
        var chat = await room.SendChatAsync(user, "before the blip");

        // Storage out of reach for the pin's write and the ban's, the writes not sent (Redis restarting): each change is
        // taken back and answered unavailable, and the room does not reload (which would lose the chat it holds to
        // write behind and send every viewer back to a snapshot in a new epoch).
        using var undone = new MetricCollector<long>(null, LiveGrainMetrics.MeterName, "redlive.rooms.writes_undone");
        var blip = fixture.Faults.FailNextUnsent(StateNames.Room, roomId, count: 2);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => room.PinAsync(hostId, product.Id));
        await Assert.ThrowsAsync<StorageUnavailableException>(() => room.BanAsync(host, troll.UserId, banned: true));
        Assert.Equal(2, blip.Hits);
        Assert.Equal(2, undone.GetMeasurementSnapshot().Sum(m => m.Value));

        var now = await room.JoinAsync(troll.UserId);
        Assert.Equal(before.Epoch, now.Epoch);
        Assert.Null(now.PinnedProduct);
        Assert.Contains(now.RecentChat, m => m.Id == chat.Id);
        Assert.Empty((await room.GetModerationAsync(host)).Banned);
        var resumed = await room.ResumeAsync(null, before.Epoch!, before.Seq!.Value);
        Assert.True(resumed.Resumed);
        Assert.DoesNotContain(resumed.Events!, e => e is ProductPinnedEvent or UserBannedEvent);
        Assert.Contains(resumed.Events!.OfType<ChatBatchEvent>().SelectMany(b => b.Messages), m => m.Id == chat.Id);

        // Once storage is back the host's retries go through, on the same stream, and are stored with the chat.
        var pinned = await room.PinAsync(hostId, product.Id);
        Assert.Equal(product.Id, pinned.PinnedProduct?.Id);
        await room.BanAsync(host, troll.UserId, banned: true);
        var pin = await fixture.Events.WaitForAsync<ProductPinnedEvent>(roomId, e => e.Product.Id == product.Id, "the pin after the blip");
        Assert.True(pin.Seq > before.Seq);
        Assert.Equal(before.Epoch, (await room.JoinAsync(null)).Epoch);
        await fixture.Cluster.DeactivateAsync(room);
        var reloaded = await room.JoinAsync(null);
        Assert.Equal(product.Id, reloaded.PinnedProduct?.Id);
        Assert.Contains(reloaded.RecentChat, m => m.Id == chat.Id);
        Assert.Equal([troll.UserId], (await room.GetModerationAsync(host)).Banned);

        // A write that timed out may have landed: it is not taken back (memory would be behind storage, the unpin
        // undone in memory but perhaps stored); the activation reloads what storage has, in a new epoch.
        using var epochsLost = new MetricCollector<long>(null, LiveGrainMetrics.MeterName, "redlive.rooms.epochs_lost");
        fixture.Faults.FailNext(StateNames.Room, roomId, unreachable: true);
        await Reloads.FailsOnStorageAsync(() => room.UnpinAsync(hostId));
        var afterTimeout = await Reloads.RetryAsync("the reloaded room", () => room.JoinAsync(null));
        Assert.NotEqual(reloaded.Epoch, afterTimeout.Epoch);
        Assert.True(epochsLost.GetMeasurementSnapshot().Sum(m => m.Value) >= 1, "the lost epoch is counted");
        Assert.Equal(product.Id, afterTimeout.PinnedProduct?.Id);
    }

    [Fact]
    public async Task ACreationOrAnEndThatFindsStorageOutOfReachIsTakenBackAndAnsweredUnavailable()
    {
        var roomId = Ids.New("room");
        var hostId = Ids.New("host");
        var room = Grains.GetGrain<ILiveRoomGrain>(roomId);
        var terms = new NewRoom { Title = "Spring drop", Description = "New colours" };

        // The creation's write not sent: nothing exists, and the host's retry creates the room.
        var blip = fixture.Faults.FailNextUnsent(StateNames.Room, roomId, count: 1);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => room.CreateAsync(hostId, terms));
        Assert.Equal(1, blip.Hits);
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.GetRoomAsync());
        await room.CreateAsync(hostId, terms);
        await room.StartAsync(hostId);
        var product = await Grains.CreateProductAsync(owner: hostId);
        var sale = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product));
        var before = await room.JoinAsync(null);
        var chat = await room.SendChatAsync(Scenario.NewUser(), "before the end");

        // The end's write not sent: the room is live again on the same stream, with its chat, and the retry ends it.
        fixture.Faults.FailNextUnsent(StateNames.Room, roomId, count: 1);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => room.EndAsync(hostId));
        var live = await room.JoinAsync(null);
        Assert.Equal((RoomStatus.Live, before.Epoch), (live.Room.Status, live.Epoch));
        Assert.Contains(live.RecentChat, m => m.Id == chat.Id);
        Assert.Equal(SaleStatus.Ended, (await Grains.GetGrain<IFlashSaleGrain>(sale.Id).GetAsync()).Status);

        var ended = await room.EndAsync(hostId);
        Assert.Equal(RoomStatus.Ended, ended.Status);
        var end = await fixture.Events.WaitForAsync<StreamEndedEvent>(roomId, _ => true, "the end after the blip");
        Assert.True(end.Seq > before.Seq);
        Assert.Single(fixture.Events.EventsOf<StreamEndedEvent>(roomId));
        await fixture.Cluster.DeactivateAsync(room);
        var reloaded = await room.JoinAsync(null);
        Assert.Equal(RoomStatus.Ended, reloaded.Room.Status);
        Assert.Contains(reloaded.RecentChat, m => m.Id == chat.Id);
        Assert.Empty(reloaded.ActiveSales);
    }

    [Fact]
    public async Task AChatDeletionThatFindsStorageOutOfReachPutsTheMessageBackAndItsRetryDeletesIt()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var host = new Actor { UserId = hostId, IsModerator = false };
        var before = await room.JoinAsync(null);
        var abuse = await room.SendChatAsync(Scenario.NewUser("Troll"), "abuse");
        await fixture.Events.WaitForAsync<ChatBatchEvent>(roomId, b => b.Messages.Any(m => m.Id == abuse.Id), "the message");

        // The deletion's write not sent: the message is in the recent chat and the resume window again, same epoch.
        fixture.Faults.FailNextUnsent(StateNames.Room, roomId, count: 1);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => room.DeleteChatAsync(host, abuse.Id));
        var now = await room.JoinAsync(null);
        Assert.Equal(before.Epoch, now.Epoch);
        Assert.Contains(now.RecentChat, m => m.Id == abuse.Id);
        var resumed = await room.ResumeAsync(null, before.Epoch!, before.Seq!.Value);
        Assert.Contains(resumed.Events!.OfType<ChatBatchEvent>().SelectMany(b => b.Messages), m => m.Id == abuse.Id);
        Assert.DoesNotContain(resumed.Events!, e => e is ChatDeletedEvent);

        // The retry deletes it, sends its deletion, and storage has it so.
        Assert.True(await room.DeleteChatAsync(host, abuse.Id));
        await fixture.Events.WaitForAsync<ChatDeletedEvent>(roomId, e => e.MessageId == abuse.Id, "the deletion after the blip");
        var afterRetry = await room.ResumeAsync(null, before.Epoch!, before.Seq!.Value);
        Assert.DoesNotContain(afterRetry.Events!.OfType<ChatBatchEvent>().SelectMany(b => b.Messages), m => m.Id == abuse.Id);
        await fixture.Cluster.DeactivateAsync(room);
        Assert.DoesNotContain((await room.JoinAsync(null)).RecentChat, m => m.Id == abuse.Id);
    }

    [Fact]
    public async Task ARoomWhoseWindowWasLostIsANewEpochNumberedAboveTheLast()
    {
        var (room, roomId, _) = await Grains.CreateLiveRoomAsync();
        var user = Scenario.NewUser();
        await room.SendChatAsync(user, "before sleep");
        var before = await room.JoinAsync(null);

        // The deactivation's write (which hands the window over) fails: the history is lost with the activation.
        fixture.Faults.FailNext(StateNames.Room, roomId);
        await fixture.Cluster.DeactivateAsync(room);

        var after = await room.JoinAsync(null);
        Assert.NotEqual(before.Epoch, after.Epoch);
        Assert.True(after.Seq >= before.Seq);
        var resumed = await room.ResumeAsync(null, before.Epoch!, before.Seq!.Value);
        Assert.False(resumed.Resumed);
        Assert.Equal(after.Epoch, resumed.Epoch);

        var message = await room.SendChatAsync(user, "after waking");
        var batch = await fixture.Events.WaitForAsync<ChatBatchEvent>(roomId, b => b.Messages.Any(m => m.Id == message.Id), "the first message of the new epoch");
        Assert.True(batch.Seq > before.Seq);
    }

    /// <summary>Advances the fake clock by the room's write-behind interval, in real-time steps, until <paramref name="done"/>.</summary>
    private async Task NudgeUntilAsync(Func<bool> done, string what)
    {
        for (var waited = TimeSpan.Zero; !done(); waited += TimeSpan.FromMilliseconds(100))
        {
            if (waited > ClusterFixture.CallTimeout)
            {
                throw new TimeoutException($"{what}: not within {ClusterFixture.CallTimeout.TotalSeconds:0} s");
            }

            fixture.Advance(Defaults.PersistInterval);
            await Task.Delay(100);
        }
    }
}
