using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Grains.FlashSales;
using Live.Grains.Tests.Infrastructure;
using Live.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;

namespace Live.Grains.Tests.FlashSales;

/// <summary>The cluster's idempotency window is an hour (<see cref="ClusterFixture"/>).</summary>
[Collection(ClusterCollection.Name)]
public sealed class FlashSaleCompactionTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

    private static readonly Serializer<FlashSaleState> Snapshots =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer<FlashSaleState>>();

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task AnEndedSaleKeepsItsAnswersForTheWindowAndThenTreatsARetryAsNew()
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);
        var started = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, perUserLimit: 3, durationSeconds: 3 * 3600));
        var sale = Grains.GetGrain<IFlashSaleGrain>(started.Id);
        var buyer = Scenario.NewUser();
        var first = await sale.BuyNowAsync(buyer, 2, "req-1");
        Assert.Equal(PurchaseStatus.Confirmed, first.Result.Status);

        // An active sale keeps its answers past the window: it can still be retried against.
        fixture.Clock.Advance(Window + TimeSpan.FromMinutes(1));
        Assert.Equal(first.Result, (await sale.BuyNowAsync(buyer, 2, "req-1")).Result);

        // Once the sale is over, an answer older than the window is dropped: a retry of it is a new request, which
        // the ended sale refuses, buying nothing. One inside the window still gets its original answer.
        var late = await sale.BuyNowAsync(buyer, 1, "req-2");
        Assert.Equal(PurchaseStatus.Confirmed, late.Result.Status);
        await sale.EndAsync(hostId);
        fixture.Clock.Advance(Window - TimeSpan.FromMinutes(1));
        var retried = await sale.BuyNowAsync(buyer, 2, "req-1");
        Assert.Equal(PurchaseStatus.NotActive, retried.Result.Status);
        Assert.Null(retried.NewOrder);
        Assert.Equal(late.Result, (await sale.BuyNowAsync(buyer, 1, "req-2")).Result);

        // Past the window from its answer, that one goes too.
        fixture.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(PurchaseStatus.NotActive, (await sale.BuyNowAsync(buyer, 1, "req-2")).Result.Status);
        Assert.Equal(2, (await Grains.GetGrain<IOrderBookGrain>(buyer.UserId).ListAsync()).Count);
        Assert.Equal(7, (await sale.GetAsync()).Remaining);
    }

    [Fact]
    public async Task AnEndedSalesCompactionReachesItsStoredSnapshotAndAReactivatedSaleAnswersAsBefore()
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 110);
        var started = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 100, perUserLimit: 1, durationSeconds: 3 * 3600));
        var sale = Grains.GetGrain<IFlashSaleGrain>(started.Id);
        var buyers = Enumerable.Range(0, 60).Select(i => Scenario.NewUser($"Buyer {i}")).ToArray();
        var early = await Task.WhenAll(buyers.Select(b => sale.BuyNowAsync(b, 1, "early")));
        var earlyKeys = buyers.Select(b => FlashSaleState.RequestKey(b.UserId, "early")).ToArray();

        // The timer's snapshot (the ledger grew past FlashSaleOptions.SnapshotEntries) holds every early answer.
        var first = await SnapshotAsync(started.Id, "the snapshot of the early purchases", s => s is not null);
        Assert.All(earlyKeys, k => Assert.Contains(k, first!.Requests.Keys));
        Assert.Equal(60, first!.PerUser.Count);

        fixture.Clock.Advance(Window / 2);
        var lateBuyer = Scenario.NewUser("Late");
        var late = await sale.BuyNowAsync(lateBuyer, 1, "late");
        Assert.Equal(PurchaseStatus.Confirmed, late.Result.Status);
        await sale.EndAsync(hostId);

        // The early answers leave the window, the late one does not. The ended sale's ledger grew by a few entries
        // only, far fewer than the stored snapshot covers: the compaction alone makes the next snapshot due, and the
        // activation that compacts (here the one after a deactivation, as an idle ended sale's is) writes it.
        fixture.Clock.Advance(Window / 2 + TimeSpan.FromMinutes(1));
        await fixture.Cluster.DeactivateAsync(sale);
        Assert.Equal(SaleStatus.Ended, (await sale.GetAsync()).Status);
        var compacted = await SnapshotAsync(
            started.Id, "a snapshot without the early answers", s => s is not null && !s.Requests.ContainsKey(earlyKeys[0]));

        var lateKey = FlashSaleState.RequestKey(lateBuyer.UserId, "late");
        Assert.Equal([lateKey], compacted!.Requests.Keys);
        Assert.Equal([lateKey], compacted.AnsweredAt.Keys);

        // The per-user tallies went with the compaction: a sale that is over decides nothing by them.
        Assert.Empty(compacted.PerUser);
        Assert.Empty(compacted.RefusedPerUser);

        // A new activation loads the compacted snapshot and answers as the compacting one did: the late request its
        // original answer, an early retry as a new request on an ended sale, which buys nothing.
        await fixture.Cluster.DeactivateAsync(sale);
        Assert.Equal(late.Result, (await sale.BuyNowAsync(lateBuyer, 1, "late")).Result);
        var retried = await sale.BuyNowAsync(buyers[0], 1, "early");
        Assert.Equal(PurchaseStatus.NotActive, retried.Result.Status);
        Assert.Null(retried.NewOrder);
        Assert.Equal(PurchaseStatus.Confirmed, early[0].Result.Status);
        Assert.Single(await Grains.GetGrain<IOrderBookGrain>(buyers[0].UserId).ListAsync());
        Assert.Equal(started with { Status = SaleStatus.Ended, Remaining = 39 }, await sale.GetAsync());
    }

    [Fact]
    public async Task AnEndedSaleNobodyCallsIsWokenByItsReminderWhenItsAnswersLeaveTheWindowAndStorageLosesThem()
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);
        var started = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, perUserLimit: 1, durationSeconds: 3 * 3600));
        var sale = Grains.GetGrain<IFlashSaleGrain>(started.Id);
        var early = Scenario.NewUser("Early");
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(early, 1, "early")).Result.Status);
        var earlyAnsweredAt = fixture.Clock.GetUtcNow();
        fixture.Clock.Advance(Window / 2);
        var late = Scenario.NewUser("Late");
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(late, 1, "late")).Result.Status);
        var lateAnsweredAt = fixture.Clock.GetUtcNow();
        await sale.EndAsync(hostId);

        // The ended sale's tick registers the reminder for when the early answer leaves the window; then the sale is
        // idle and deactivated, as an ended sale is long before a day has passed.
        var reminders = ((InProcessSiloHandle)fixture.Cluster.Silos[0]).SiloHost.Services.GetRequiredService<IReminderTable>();
        var saleGrain = sale.GetGrainId();
        var reminder = await Eventually.GetAsync(
            "the compaction reminder of the ended sale",
            async () =>
            {
                fixture.Advance(new FlashSaleOptions().ProgressInterval);
                return await reminders.ReadRow(saleGrain, FlashSaleGrain.CompactionReminder);
            },
            r => r is not null,
            ClusterFixture.CallTimeout,
            TimeSpan.FromMilliseconds(50));
        Assert.Equal((earlyAnsweredAt + Window).UtcDateTime, reminder!.StartAt, TimeSpan.FromSeconds(2));
        await fixture.Cluster.DeactivateAsync(sale);
        var earlyKey = FlashSaleState.RequestKey(early.UserId, "early");
        var lateKey = FlashSaleState.RequestKey(late.UserId, "late");
        var before = await StoredAsync(started.Id);
        Assert.True(before is null || before.Requests.ContainsKey(earlyKey), "nothing was compacted before the window passed");

        // Past the early answer's window, nobody calls the sale: its reminder wakes it, and the stored snapshot drops
        // the early answer and keeps the late one. The clock jumps past the reminder's time, as after a server that
        // was down then: Orleans skips that firing and fires at the next period (a 24th of the window).
        fixture.Clock.Advance(Window / 2 + TimeSpan.FromSeconds(5));
        var compacted = await SnapshotAsync(
            started.Id, "a snapshot without the early answer", s => s is not null && !s.Requests.ContainsKey(earlyKey), step: TimeSpan.FromSeconds(20));
        Assert.Equal([lateKey], compacted!.Requests.Keys);
        var moved = await Eventually.GetAsync(
            "the reminder moved to the late answer",
            () => reminders.ReadRow(saleGrain, FlashSaleGrain.CompactionReminder),
            r => r is not null && r.StartAt > reminder.StartAt,
            ClusterFixture.CallTimeout,
            TimeSpan.FromMilliseconds(50));
        Assert.Equal((lateAnsweredAt + Window).UtcDateTime, moved!.StartAt, TimeSpan.FromSeconds(2));

        // Past the late one's: no answer is kept in storage, and the reminder is gone.
        await fixture.Cluster.DeactivateAsync(sale);
        fixture.Clock.Advance(Window / 2);
        await SnapshotAsync(started.Id, "a snapshot without any answer", s => s is not null && s.Requests.Count == 0, step: TimeSpan.FromSeconds(20));
        await Eventually.GetAsync(
            "the reminder removed",
            () => reminders.ReadRow(saleGrain, FlashSaleGrain.CompactionReminder),
            r => r is null,
            ClusterFixture.CallTimeout,
            TimeSpan.FromMilliseconds(50));

        // The sale answers as before: ended, one unit each to the two buyers.
        Assert.Equal(started with { Status = SaleStatus.Ended, Remaining = 8 }, await sale.GetAsync());
    }

    /// <remarks>
    /// A reminder table out of reach: the ended sale's tick (every 250 ms) tries again 10 s later, not at every tick of
    /// the outage, and then registers the reminder.
    /// </remarks>
    [Fact]
    public async Task AFailedReminderRegistrationIsTriedAgainTenSecondsLaterNotAtEveryTick()
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);
        var started = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, perUserLimit: 1, durationSeconds: 3600));
        var sale = Grains.GetGrain<IFlashSaleGrain>(started.Id);
        var reminders = fixture.Reminders;
        var saleGrain = sale.GetGrainId();
        reminders.FailNextUpserts(saleGrain, 1);
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(Scenario.NewUser(), 1, "buy")).Result.Status);
        await sale.EndAsync(hostId);

        var tick = new FlashSaleOptions().ProgressInterval;
        await Eventually.TrueAsync(
            "the ended sale's first registration",
            () =>
            {
                fixture.Advance(tick);
                return reminders.UpsertAttempts(saleGrain) >= 1;
            },
            ClusterFixture.CallTimeout,
            TimeSpan.FromMilliseconds(50));
        Assert.Null(await reminders.ReadRow(saleGrain, FlashSaleGrain.CompactionReminder));

        // It failed at most one tick before this: 8 s of ticks later, no second attempt yet.
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromSeconds(8); elapsed += tick)
        {
            fixture.Advance(tick);
            await Task.Delay(30);
        }

        Assert.Equal(1, reminders.UpsertAttempts(saleGrain));

        // Past the 10 s: tried again, and registered.
        var reminder = await Eventually.GetAsync(
            "the compaction reminder registered on the second attempt",
            async () =>
            {
                fixture.Advance(tick);
                return await reminders.ReadRow(saleGrain, FlashSaleGrain.CompactionReminder);
            },
            r => r is not null,
            ClusterFixture.CallTimeout,
            TimeSpan.FromMilliseconds(50));
        Assert.NotNull(reminder);
        Assert.Equal(2, reminders.UpsertAttempts(saleGrain));
    }

    private async Task<FlashSaleState?> StoredAsync(string saleId) =>
        await fixture.Ledgers.ReadSnapshotAsync(FlashSaleGrain.LedgerName, saleId) is { } stored ? Snapshots.Deserialize(stored.Payload) : null;

    /// <summary>
    /// The sale's stored snapshot once it satisfies <paramref name="done"/>, moving the clock tick by tick (or by
    /// <paramref name="step"/>).
    /// </summary>
    private async Task<FlashSaleState?> SnapshotAsync(string saleId, string what, Func<FlashSaleState?, bool> done, TimeSpan? step = null) =>
        await Eventually.GetAsync(
            what,
            async () =>
            {
                fixture.Advance(step ?? new FlashSaleOptions().ProgressInterval);
                return await fixture.Ledgers.ReadSnapshotAsync(FlashSaleGrain.LedgerName, saleId) is { } stored
                    ? Snapshots.Deserialize(stored.Payload)
                    : null;
            },
            done,
            ClusterFixture.CallTimeout,
            TimeSpan.FromMilliseconds(50));
}
