using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Grains.FlashSales;
using Live.Grains.Tests.Infrastructure;
using Live.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

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

    /// <summary>The sale's stored snapshot once it satisfies <paramref name="done"/>, moving the clock tick by tick.</summary>
    private async Task<FlashSaleState?> SnapshotAsync(string saleId, string what, Func<FlashSaleState?, bool> done) =>
        await Eventually.GetAsync(
            what,
            async () =>
            {
                fixture.Advance(new FlashSaleOptions().ProgressInterval);
                return await fixture.Ledgers.ReadSnapshotAsync(FlashSaleGrain.LedgerName, saleId) is { } stored
                    ? Snapshots.Deserialize(stored.Payload)
                    : null;
            },
            done,
            ClusterFixture.CallTimeout,
            TimeSpan.FromMilliseconds(50));
}
