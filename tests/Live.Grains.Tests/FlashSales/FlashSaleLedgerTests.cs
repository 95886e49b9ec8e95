using Live.Contracts;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Grains.FlashSales;
using Live.Grains.Orders;
using Live.Grains.Tests.Infrastructure;
using Live.Testing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace Live.Grains.Tests.FlashSales;

/// <summary>
/// The sale's ledger through the grain: what a sale rebuilt from it answers, the host's paged reading, the audit, one
/// append per group commit, and snapshots taken by the timer.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class FlashSaleLedgerTests(ClusterFixture fixture)
{
    private static readonly Serializer<SaleEntry> Entries =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer<SaleEntry>>();

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task TheRebuiltSaleAnswersEveryRequestAsTheLiveOneDidAndKeepsItsLimitsAndBans()
    {
        var (sale, _, _) = await StartSaleAsync(quantity: 10, perUserLimit: 2);
        var (ann, bob, cy, dee) = (Scenario.NewUser("Ann"), Scenario.NewUser("Bob"), Scenario.NewUser("Cy"), Scenario.NewUser("Dee"));
        var asked = new List<(Caller Buyer, int Quantity, string RequestId)>
        {
            (ann, 2, "a1"), (ann, 1, "a2"), (bob, 1, "b1"), (cy, 3, "c1"), (cy, 2, "c2"), (ann, 2, "a1"), (dee, 1, "d1"),
        };
        var answers = new List<PurchaseResult>();
        foreach (var (buyer, quantity, requestId) in asked)
        {
            answers.Add((await sale.BuyNowAsync(buyer, quantity, requestId)).Result);
        }

        await sale.SetBuyerBannedAsync(dee.UserId, banned: true);
        var before = await sale.GetAsync();
        Assert.Equal(
            [PurchaseStatus.Confirmed, PurchaseStatus.LimitExceeded, PurchaseStatus.Confirmed, PurchaseStatus.LimitExceeded, PurchaseStatus.Confirmed, PurchaseStatus.Confirmed, PurchaseStatus.Confirmed],
            answers.Select(a => a.Status));

        await fixture.Cluster.DeactivateAsync(sale);

        // Every request id gets the answer it got, including the replay (a1 twice) and the refusals.
        for (var i = 0; i < asked.Count; i++)
        {
            var (buyer, quantity, requestId) = asked[i];
            Assert.Equal(answers[i], (await sale.BuyNowAsync(buyer, quantity, requestId)).Result);
        }

        Assert.Equal(before, await sale.GetAsync());
        Assert.Equal(4, before.Remaining);

        // The per-user counts and the ban came back: Ann and Cy are at their limit, Bob is not, Dee is banned.
        Assert.Equal(PurchaseStatus.LimitExceeded, (await sale.BuyNowAsync(ann, 1, "a3")).Result.Status);
        Assert.Equal(PurchaseStatus.LimitExceeded, (await sale.BuyNowAsync(cy, 1, "c3")).Result.Status);
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(bob, 1, "b2")).Result.Status);
        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => sale.BuyNowAsync(dee, 1, "d2"));
        Assert.Equal(3, (await sale.GetAsync()).Remaining);
    }

    [Fact]
    public async Task TheHostReadsEveryDecisionInOrderInPagesAndNoOneElseMay()
    {
        var (sale, saleId, hostId) = await StartSaleAsync(quantity: 3, perUserLimit: 2);
        var buyers = Enumerable.Range(1, 4).Select(i => Scenario.NewUser($"Buyer {i}")).ToArray();

        // While the sale is active every decision is recorded, refusals too: too few left, over the limit.
        var asked = new[] { (buyers[0], 2, "a"), (buyers[1], 2, "b"), (buyers[0], 1, "c"), (buyers[2], 1, "d") };
        var results = new List<PurchaseResult>();
        foreach (var (buyer, quantity, requestId) in asked)
        {
            results.Add((await sale.BuyNowAsync(buyer, quantity, requestId)).Result);
        }

        Assert.Equal(
            [PurchaseStatus.Confirmed, PurchaseStatus.SoldOut, PurchaseStatus.LimitExceeded, PurchaseStatus.Confirmed],
            results.Select(r => r.Status));

        // Sold out, the sale is over: a new request's soldOut follows from that and is answered without an entry.
        var late = await sale.BuyNowAsync(buyers[3], 1, "e");
        Assert.Equal(new PurchaseResult { Status = PurchaseStatus.SoldOut, Quantity = 0, Remaining = 0 }, late.Result);

        var first = await sale.ReadLedgerAsync(hostId, 0, 3);
        var pages = new List<FlashSaleLedgerPage> { first };
        while (pages[^1].Next is { } next)
        {
            pages.Add(await sale.ReadLedgerAsync(hostId, next, 3));
        }

        Assert.Equal(3, first.Next);
        Assert.All(pages.SkipLast(1), p => Assert.Equal(3, p.Entries.Count));
        var entries = pages.SelectMany(p => p.Entries).ToArray();
        Assert.Equal(Enumerable.Range(1, entries.Length).Select(i => (long)i), entries.Select(e => e.Position));
        var started = entries[0];
        Assert.Equal((FlashSaleLedgerKinds.Started, 3, 3), (started.Kind, started.Quantity, started.Remaining));
        var decided = entries.Where(e => e.Kind == FlashSaleLedgerKinds.Decided).ToArray();
        Assert.Equal(
            asked.Select((a, i) => (a.Item1.UserId, a.Item3, a.Item2, results[i].Status, results[i].Remaining, results[i].OrderId)),
            decided.Select(e => (e.UserId!, e.RequestId!, e.Quantity!.Value, e.Status!, e.Remaining!.Value, e.OrderId)));
        Assert.All(decided, e => Assert.Equal(fixture.Clock.GetUtcNow(), e.At));
        Assert.DoesNotContain(entries, e => e.UserId == buyers[3].UserId);
        var audit = await sale.AuditAsync(hostId);
        Assert.True(audit.Consistent, string.Join("; ", audit.Problems));
        Assert.Equal((3, 3, 0, 4L), (audit.Confirmed, audit.Orders, audit.Remaining, audit.Decisions));

        // Nothing after the last entry.
        var after = await sale.ReadLedgerAsync(hostId, entries[^1].Position, 3);
        Assert.Empty(after.Entries);
        Assert.Null(after.Next);

        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => sale.ReadLedgerAsync(buyers[0].UserId, 0, 10));
        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => sale.AuditAsync(Ids.New("host")));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => sale.ReadLedgerAsync(hostId, 0, 0));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => sale.ReadLedgerAsync(hostId, 0, 1001));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => sale.ReadLedgerAsync(hostId, -1, 10));
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => Grains.GetGrain<IFlashSaleGrain>(Ids.New("sale")).ReadLedgerAsync(hostId, 0, 10));
        Assert.Equal(saleId, first.SaleId);
    }

    [Fact]
    public async Task TheAuditReplaysTheLedgerAndFindsEveryConfirmedUnitInTheBuyersOrderBooks()
    {
        var (sale, saleId, hostId) = await StartSaleAsync(quantity: 10, perUserLimit: 3);
        var buyers = Enumerable.Range(1, 5).Select(i => Scenario.NewUser($"Buyer {i}")).ToArray();

        // The third buyer's order book fails the first write that reaches it: that is the append of the purchase's own
        // decision (the order goes into the book in the same write), so nothing of it is stored, the sale reloads, and
        // the buyer's retry of the same request is decided afresh.
        fixture.Faults.FailNext(StateNames.OrderBook, buyers[2].UserId);
        foreach (var (buyer, i) in buyers.Select((b, i) => (b, i)))
        {
            await Reloads.RetryAsync($"the purchase of {buyer.DisplayName}", () => sale.BuyNowAsync(buyer, i % 3 + 1, "buy"));
        }

        var audit = await sale.AuditAsync(hostId);

        // 1 + 2 + 3 + 1 = 7 units, then 2 asked for with 3 left: 9 confirmed.
        Assert.Equal(
            new FlashSaleAudit { SaleId = saleId, Quantity = 10, Confirmed = 9, Remaining = 1, Orders = 9, Consistent = true, Decisions = 5, Problems = [] },
            audit with { Problems = [] });
        Assert.Empty(audit.Problems);
        Assert.Single(await Grains.GetGrain<IOrderBookGrain>(buyers[2].UserId).ListAsync());
    }

    [Fact]
    public async Task AnAuditWhileTheSaleSellsCountsWhatItsLedgerHadAndStaysConsistent()
    {
        var (sale, _, hostId) = await StartSaleAsync(quantity: 10, perUserLimit: 2);
        var buyer = Scenario.NewUser();
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(buyer, 1, "first")).Result.Status);

        // The audit replays the ledger (one confirmation) and then reads the buyer's book; the book's read is held
        // while the buyer buys again, so the book it reads holds an order that the replayed ledger did not.
        var held = fixture.Faults.HoldNext(FaultInjectingLedgerStore.ReadName(OrderBookGrain.LedgerName), buyer.UserId);
        var audit = sale.AuditAsync(hostId);
        await held.WhenHitAsync("the audit's read of the buyer's order book");
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(buyer, 1, "second")).Result.Status);
        held.Release(store: true);

        var during = await audit;
        Assert.True(during.Consistent, string.Join("; ", during.Problems));
        Assert.Equal((1, 1, 9, 1L), (during.Confirmed, during.Orders, during.Remaining, during.Decisions));

        var after = await sale.AuditAsync(hostId);
        Assert.True(after.Consistent, string.Join("; ", after.Problems));
        Assert.Equal((2, 2, 8, 2L), (after.Confirmed, after.Orders, after.Remaining, after.Decisions));
    }

    [Fact]
    public async Task AnAuditFindsAConfirmationWhoseOrderNoOrderBookHas()
    {
        var (sale, saleId, hostId) = await StartSaleAsync(quantity: 10, perUserLimit: 1);
        var last = (await sale.BuyNowAsync(Scenario.NewUser(), 1, "buy")).Result;

        // A confirmation written into the ledger behind the sale's back, with no order anywhere.
        var length = (await fixture.Ledgers.ReadAsync(FlashSaleGrain.LedgerName, saleId, 0, 1000)).Count;
        var forged = new SaleEntry
        {
            Kind = SaleEntryKind.Decided,
            At = fixture.Clock.GetUtcNow(),
            RequestId = "forged",
            UserId = Ids.New("user"),
            Quantity = 1,
            Status = PurchaseStatus.Confirmed,
            Remaining = last.Remaining - 1,
            OrderId = Ids.New("ord"),
        };
        await fixture.Ledgers.AppendAsync(FlashSaleGrain.LedgerName, saleId, length, [Entries.SerializeToArray(forged)]);

        var audit = await sale.AuditAsync(hostId);

        Assert.False(audit.Consistent);
        Assert.Equal((10, 2, 8, 1), (audit.Quantity, audit.Confirmed, audit.Remaining, audit.Orders));
        Assert.Equal("2 units confirmed, 1 found in the buyers' order books", Assert.Single(audit.Problems));
    }

    [Fact]
    public async Task AnAuditFindsAnOrderOfTheSaleThatItsLedgerNeverConfirmed()
    {
        var (sale, saleId, hostId) = await StartSaleAsync(quantity: 10, perUserLimit: 1);
        var buyer = Scenario.NewUser();
        var bought = (await sale.BuyNowAsync(buyer, 1, "buy")).Result;
        var refused = Scenario.NewUser();
        Assert.Equal(PurchaseStatus.LimitExceeded, (await sale.BuyNowAsync(refused, 2, "greedy")).Result.Status);
        Assert.True((await sale.AuditAsync(hostId)).Consistent);

        // An order of this sale put in a refused user's book behind the sale's back: units went out that no
        // confirmation in the ledger accounts for.
        var order = (await Grains.GetGrain<IOrderBookGrain>(buyer.UserId).FindAsync(bought.OrderId!))!;
        await Grains.GetGrain<IOrderBookGrain>(refused.UserId).AddAsync(order with { Id = Ids.New("ord"), UserId = refused.UserId });

        var audit = await sale.AuditAsync(hostId);

        Assert.False(audit.Consistent);
        Assert.Equal((1, 1), (audit.Confirmed, audit.Orders));
        Assert.Equal("1 orders of this sale in the buyers' order books were never confirmed in its ledger", Assert.Single(audit.Problems));
    }

    [Fact]
    public async Task PurchasesMadeDuringAnAppendShareTheNextAppend()
    {
        var (sale, saleId, _) = await StartSaleAsync(quantity: 100, perUserLimit: 1);
        var appendsBefore = fixture.LedgerStore.AppendsTo(saleId);
        var held = fixture.Faults.HoldNext(StateNames.FlashSale, saleId);
        var first = sale.BuyNowAsync(Scenario.NewUser(), 1, "first");
        await held.WhenHitAsync("the first purchase's append");

        var rush = Enumerable.Range(0, 40).Select(i => sale.BuyNowAsync(Scenario.NewUser(), 1, $"rush-{i}")).ToArray();
        foreach (var i in Enumerable.Range(0, 40))
        {
            await fixture.Calls.WaitForAsync(saleId, nameof(IFlashSaleGrain.BuyNowAsync), $"rush-{i}", count: 1, "the rush reaching the sale");
        }

        held.Release(store: true);
        var outcomes = await Task.WhenAll(rush.Append(first)).WaitAsync(ClusterFixture.CallTimeout);

        Assert.All(outcomes, o => Assert.Equal(PurchaseStatus.Confirmed, o.Result.Status));
        // The held append and one more for the 40 purchases made meanwhile (and the deliveries, written behind).
        Assert.InRange(fixture.LedgerStore.AppendsTo(saleId) - appendsBefore, 2, 3);
    }

    [Fact]
    public async Task ABatchOfPurchasesIsDecidedInTurnSharesOneAppendAndAnswersEachItsOwnWay()
    {
        var (sale, saleId, _) = await StartSaleAsync(quantity: 2, perUserLimit: 1);
        var (mei, lin, ana) = (Scenario.NewUser(), Scenario.NewUser(), Scenario.NewUser());
        var appendsBefore = fixture.LedgerStore.AppendsTo(saleId);

        var replies = await sale.BuyNowManyAsync(
        [
            new PurchaseRequest { Buyer = mei, Quantity = 1, RequestId = "mei-1" },
            new PurchaseRequest { Buyer = lin, Quantity = 0, RequestId = "lin-0" },
            new PurchaseRequest { Buyer = mei, Quantity = 1, RequestId = "mei-2" },
            new PurchaseRequest { Buyer = lin, Quantity = 1, RequestId = "lin-1" },
            new PurchaseRequest { Buyer = ana, Quantity = 1, RequestId = "ana-1" },
        ]);

        Assert.Equal(
            [PurchaseStatus.Confirmed, null, PurchaseStatus.LimitExceeded, PurchaseStatus.Confirmed, PurchaseStatus.SoldOut],
            replies.Select(r => r.Outcome?.Result.Status));
        Assert.Equal(ErrorCodes.InvalidArgument, replies[1].ErrorCode);
        Assert.NotNull(replies[0].Outcome!.NewOrder);
        Assert.Equal([1, 0], new[] { replies[0], replies[3] }.Select(r => r.Outcome!.Result.Remaining));
        // Four decisions (the invalid one decides nothing), one append.
        Assert.Equal(1, fixture.LedgerStore.AppendsTo(saleId) - appendsBefore);

        // Each is the request it answered: a replay alone gets the same answer, and no second order.
        var replay = await sale.BuyNowAsync(mei, 1, "mei-1");
        Assert.Equal(replies[0].Outcome!.Result, replay.Result);
        Assert.Null(replay.NewOrder);
    }

    [Fact]
    public async Task NewRequestsOnAnEndedSaleAddNothingToItsLedgerAndAnEarlierRequestKeepsItsAnswer()
    {
        var (sale, saleId, hostId) = await StartSaleAsync(quantity: 10, perUserLimit: 2);
        var buyer = Scenario.NewUser();
        var before = await sale.BuyNowAsync(buyer, 1, "before");
        Assert.Equal(PurchaseStatus.Confirmed, before.Result.Status);
        await sale.EndAsync(hostId);
        var length = (await fixture.Ledgers.ReadAsync(FlashSaleGrain.LedgerName, saleId, 0, 1000)).Count;
        var appends = fixture.LedgerStore.AppendsTo(saleId);

        var late = await Task.WhenAll(Enumerable.Range(0, 20)
            .Select(i => sale.BuyNowAsync(i % 2 == 0 ? buyer : Scenario.NewUser(), 1, $"late-{i}")));

        var notActive = new PurchaseResult { Status = PurchaseStatus.NotActive, Quantity = 0, Remaining = 9 };
        Assert.All(late, o => Assert.Equal((notActive, (Order?)null), (o.Result, o.NewOrder)));
        Assert.Equal(length, (await fixture.Ledgers.ReadAsync(FlashSaleGrain.LedgerName, saleId, 0, 1000)).Count);
        Assert.Equal(appends, fixture.LedgerStore.AppendsTo(saleId));
        Assert.Equal(before.Result, (await sale.BuyNowAsync(buyer, 1, "before")).Result);

        // Rebuilt from the ledger, the sale answers the same: the earlier request its answer, a new one notActive.
        await fixture.Cluster.DeactivateAsync(sale);
        Assert.Equal(before.Result, (await sale.BuyNowAsync(buyer, 1, "before")).Result);
        Assert.Equal(notActive, (await sale.BuyNowAsync(buyer, 1, "late-0")).Result);
        Assert.Equal(length, (await fixture.Ledgers.ReadAsync(FlashSaleGrain.LedgerName, saleId, 0, 1000)).Count);
        Assert.Equal(1, (await sale.AuditAsync(hostId)).Decisions);
    }

    [Fact]
    public async Task TheTimerSnapshotsTheSaleAndAnActivationRebuildsFromTheSnapshotAndTheTail()
    {
        var (sale, saleId, _) = await StartSaleAsync(quantity: 500, perUserLimit: 1);
        var buyers = Enumerable.Range(0, 120).Select(i => Scenario.NewUser($"Buyer {i}")).ToArray();
        var first = await Task.WhenAll(buyers.Take(80).Select(b => sale.BuyNowAsync(b, 1, "buy")));

        // No purchase writes a snapshot; the sale's tick does.
        Assert.Null(await fixture.Ledgers.ReadSnapshotAsync(FlashSaleGrain.LedgerName, saleId));
        var snapshot = await Eventually.GetAsync(
            "the sale's snapshot",
            async () =>
            {
                fixture.Advance(new FlashSaleOptions().ProgressInterval);
                return await fixture.Ledgers.ReadSnapshotAsync(FlashSaleGrain.LedgerName, saleId);
            },
            s => s is not null,
            ClusterFixture.CallTimeout,
            TimeSpan.FromMilliseconds(50));
        Assert.InRange(snapshot!.Value.Position, 81, 200);

        var second = await Task.WhenAll(buyers.Skip(80).Select(b => sale.BuyNowAsync(b, 1, "buy")));
        var remaining = (await sale.GetAsync()).Remaining;
        await fixture.Cluster.DeactivateAsync(sale);

        Assert.Equal(500 - 120, remaining);
        Assert.Equal(remaining, (await sale.GetAsync()).Remaining);
        var all = first.Concat(second).ToArray();
        for (var i = 0; i < buyers.Length; i++)
        {
            Assert.Equal(all[i].Result, (await sale.BuyNowAsync(buyers[i], 1, "buy")).Result);
            Assert.Equal(PurchaseStatus.LimitExceeded, (await sale.BuyNowAsync(buyers[i], 1, "again")).Result.Status);
        }
    }

    [Fact]
    public async Task AFailedSnapshotWriteLosesNothingAndIsTriedAgain()
    {
        var (sale, saleId, _) = await StartSaleAsync(quantity: 500, perUserLimit: 1);
        var failed = fixture.Faults.FailNext(FaultInjectingLedgerStore.SnapshotName(FlashSaleGrain.LedgerName), saleId);
        var buyers = Enumerable.Range(0, 60).Select(i => Scenario.NewUser($"Buyer {i}")).ToArray();
        var outcomes = await Task.WhenAll(buyers.Select(b => sale.BuyNowAsync(b, 1, "buy")));

        await Eventually.GetAsync(
            "a snapshot after the failed one",
            async () =>
            {
                fixture.Advance(new FlashSaleOptions().ProgressInterval);
                return await fixture.Ledgers.ReadSnapshotAsync(FlashSaleGrain.LedgerName, saleId);
            },
            s => s is not null,
            ClusterFixture.CallTimeout,
            TimeSpan.FromMilliseconds(50));

        Assert.Equal(1, failed.Hits);
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(Scenario.NewUser(), 1, "after")).Result.Status);
        await fixture.Cluster.DeactivateAsync(sale);
        Assert.Equal(500 - 61, (await sale.GetAsync()).Remaining);
        Assert.Equal(outcomes[0].Result, (await sale.BuyNowAsync(buyers[0], 1, "buy")).Result);
    }

    private async Task<(IFlashSaleGrain Sale, string SaleId, string HostId)> StartSaleAsync(int quantity, int perUserLimit)
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: quantity + 10);
        var started = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: quantity, perUserLimit: perUserLimit));
        return (Grains.GetGrain<IFlashSaleGrain>(started.Id), started.Id, hostId);
    }
}
