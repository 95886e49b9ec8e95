using Live.Contracts;
using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Live.Grains.FlashSales;
using Live.Grains.Orders;
using Live.Grains.Tests.Infrastructure;
using Live.Testing;

namespace Live.Grains.Tests.Failures;

/// <summary>A sale never confirms what its storage does not have, and finishes its work once storage is back.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FlashSaleFailureTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task ASoldOutSaleWhoseEndAnnouncementDiedWithItsActivationIsAnnouncedByTheRoom()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);
        var started = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 1, perUserLimit: 1, durationSeconds: 3600));
        var sale = Grains.GetGrain<IFlashSaleGrain>(started.Id);

        // The sale sells out and reports it to the room (which drops it from its list), but its FlashSaleEnded cannot
        // reach the room, and the activation holding it is lost.
        using (fixture.Calls.Refuse(c => c.InterfaceMethod.Name == nameof(ILiveRoomGrain.AnnounceAsync)
            && c.Request.GetArgument(0) is FlashSaleEndedEvent e && e.Sale.Id == started.Id))
        {
            Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(Scenario.NewUser(), 1, "last")).Result.Status);
            await Eventually.GetAsync(
                "the room to drop the sold-out sale",
                async () => (await room.GetSnapshotAsync()).ActiveSales.Count,
                count => count == 0,
                ClusterFixture.CallTimeout);
            await fixture.Cluster.DeactivateAsync(sale);
        }

        // The room, owed the sale's end, sends it itself once the grace has passed (on the fake clock).
        var ended = await fixture.Events.WaitForAsync<FlashSaleEndedEvent>(
            roomId, e => e.Sale.Id == started.Id, "FlashSaleEnded, sent by the room", () => fixture.Advance(TimeSpan.FromSeconds(1)), TimeSpan.FromMilliseconds(200));
        Assert.Equal(SaleStatus.SoldOut, ended.Sale.Status);
    }

    [Fact]
    public async Task AReplayWaitsForTheOriginalWriteAndFailsWithIt()
    {
        var (sale, saleId, _) = await StartSaleAsync(quantity: 10);
        var buyer = Scenario.NewUser();
        var held = fixture.Faults.HoldNext(StateNames.FlashSale, saleId);

        var original = sale.BuyNowAsync(buyer, 1, "buy");
        await held.WhenHitAsync("the purchase's write");
        var replay = sale.BuyNowAsync(buyer, 1, "buy");

        // Once the sale has taken the replay in, it waits on the original's write: nothing it can answer yet.
        await fixture.Calls.WaitForAsync(saleId, nameof(IFlashSaleGrain.BuyNowAsync), "buy", count: 2, "the replay reaching the sale");
        Assert.False(replay.IsCompleted, "the replay was answered while its original decision was still being written");

        held.Release(store: false);
        await Reloads.FailsOnStorageAsync(() => original.WaitAsync(ClusterFixture.CallTimeout));
        await Reloads.FailsOnStorageAsync(() => replay.WaitAsync(ClusterFixture.CallTimeout));

        // Storage never had the first decision: the retry is decided afresh, and then keeps its answer.
        var retried = await Reloads.RetryAsync("the retried purchase", () => sale.BuyNowAsync(buyer, 1, "buy"));
        Assert.Equal(PurchaseStatus.Confirmed, retried.Result.Status);
        Assert.Equal(retried.Result, (await sale.BuyNowAsync(buyer, 1, "buy")).Result);
        Assert.Equal(9, (await sale.GetAsync()).Remaining);
        await fixture.Cluster.DeactivateAsync(sale);
        Assert.Equal(retried.Result, (await sale.BuyNowAsync(buyer, 1, "buy")).Result);
        Assert.Equal(retried.Result.OrderId, Assert.Single(await Grains.GetGrain<IOrderBookGrain>(buyer.UserId).ListAsync()).Id);
    }

    /// <remarks>
    /// The sale's timer redelivers its outbox; an order joins the outbox in memory when it is decided, before its
    /// append. Delivered from there, it would stay in the order book after a failed append although no client was told
    /// it was confirmed, and the reloaded sale would sell its units again (seen in a cluster run with redis-server killed).
    /// </remarks>
    [Fact]
    public async Task TheTimerNeverDeliversAnOrderWhoseAppendIsStillBeingWrittenAndFails()
    {
        var (sale, saleId, _) = await StartSaleAsync(quantity: 10);
        var roomId = (await sale.GetAsync()).RoomId;

        // A first purchase leaves progress to publish, so each tick shows itself by telling the room.
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(Scenario.NewUser(), 1, "first")).Result.Status);

        var buyer = Scenario.NewUser();
        var held = fixture.Faults.HoldNext(StateNames.FlashSale, saleId);
        var purchase = sale.BuyNowAsync(buyer, 1, "buy");
        await held.WhenHitAsync("the purchase's append");

        // Ticks run while the append is held (the purchase waits interleaved): the first tells the room, and the same
        // tick then runs the outbox's delivery loop; a second tick proves the first has finished.
        var ticked = fixture.Calls.Count(roomId, nameof(ILiveRoomGrain.SaleChangedAsync), "");
        await Eventually.GetAsync(
            "a tick of the sale while its append is held",
            () =>
            {
                fixture.Advance(new FlashSaleOptions().ProgressInterval);
                return Task.FromResult(fixture.Calls.Count(roomId, nameof(ILiveRoomGrain.SaleChangedAsync), ""));
            },
            n => n > ticked,
            ClusterFixture.CallTimeout,
            TimeSpan.FromMilliseconds(50));
        for (var i = 0; i < 5; i++)
        {
            fixture.Advance(new FlashSaleOptions().ProgressInterval);
            await Task.Delay(50);
        }

        Assert.Equal(0, fixture.Calls.Count(buyer.UserId, nameof(IOrderBookGrain.AddAsync), ""));
        Assert.False(purchase.IsCompleted, "the purchase was answered while its append was held");

        // The append fails: the purchase was never confirmed, and its order must be nowhere.
        held.Release(store: false);
        await Reloads.FailsOnStorageAsync(() => purchase.WaitAsync(ClusterFixture.CallTimeout));
        var retried = await Reloads.RetryAsync("the retried purchase", () => sale.BuyNowAsync(buyer, 1, "buy"));
        Assert.Equal(PurchaseStatus.Confirmed, retried.Result.Status);
        Assert.Equal(retried.Result.OrderId, Assert.Single(await Grains.GetGrain<IOrderBookGrain>(buyer.UserId).ListAsync()).Id);
        Assert.Equal(8, (await sale.GetAsync()).Remaining);
    }

    [Fact]
    public async Task AReadShowsOnlyWhatTheLedgerHasNotADecisionStillBeingWrittenThatThenFails()
    {
        var (sale, saleId, _) = await StartSaleAsync(quantity: 10);
        var held = fixture.Faults.HoldNext(StateNames.FlashSale, saleId);
        var purchase = sale.BuyNowAsync(Scenario.NewUser(), 1, "buy");
        await held.WhenHitAsync("the purchase's append");

        // Decided in memory (9 left there), not stored: a read shows the stored sale.
        var during = await sale.GetAsync();
        Assert.Equal(10, during.Remaining);

        held.Release(store: false);
        await Reloads.FailsOnStorageAsync(() => purchase.WaitAsync(ClusterFixture.CallTimeout));

        // The broken activation answers nothing from its memory (a retry meets the sale rebuilt from the ledger).
        Assert.Equal(10, (await Reloads.RetryAsync("the read after the failure", () => sale.GetAsync())).Remaining);
        var stored = await Reloads.RetryAsync("the retried purchase", () => sale.BuyNowAsync(Scenario.NewUser(), 1, "again"));
        Assert.Equal(PurchaseStatus.Confirmed, stored.Result.Status);
        Assert.Equal(9, (await sale.GetAsync()).Remaining);
    }

    [Fact]
    public async Task AnAppendThatFoundStorageOutOfReachIsAnsweredUnavailableToEveryoneItHeld()
    {
        var (sale, saleId, _) = await StartSaleAsync(quantity: 10);
        var held = fixture.Faults.HoldNext(StateNames.FlashSale, saleId, unreachable: true);
        var first = sale.BuyNowAsync(Scenario.NewUser(), 1, "first");
        await held.WhenHitAsync("the first purchase's append");
        var second = sale.BuyNowAsync(Scenario.NewUser(), 1, "second");
        await fixture.Calls.WaitForAsync(saleId, nameof(IFlashSaleGrain.BuyNowAsync), "second", count: 1, "the second purchase reaching the sale");

        held.Release(store: false);

        // Both are told to retry (the protocol's unavailable), not a plain error, and the retry is decided afresh.
        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => first.WaitAsync(ClusterFixture.CallTimeout));
        Assert.Contains("TimeoutException", error.Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<StorageUnavailableException>(() => second.WaitAsync(ClusterFixture.CallTimeout));
        Assert.Equal(PurchaseStatus.Confirmed, (await Reloads.RetryAsync("the retry", () => sale.BuyNowAsync(Scenario.NewUser(), 1, "third"))).Result.Status);
    }

    [Fact]
    public async Task ARefusalIsAnsweredOnlyOnceItIsInTheLedgerAndFailsWithTheAppendBeforeIt()
    {
        var (sale, saleId, hostId) = await StartSaleAsync(quantity: 10);
        var held = fixture.Faults.HoldNext(StateNames.FlashSale, saleId);

        // A ban is appended before it is answered; the refusal made meanwhile waits for the next append.
        var ban = sale.SetBuyerBannedAsync(Scenario.NewUser().UserId, banned: true);
        await held.WhenHitAsync("the ban's append");
        var greedy = Scenario.NewUser();
        var refusal = sale.BuyNowAsync(greedy, 2, "greedy");
        await fixture.Calls.WaitForAsync(saleId, nameof(IFlashSaleGrain.BuyNowAsync), "greedy", count: 1, "the refusal reaching the sale");

        // The ban's append fails: the refusal, decided on the memory that append was storing, is never answered.
        held.Release(store: false);
        await Reloads.FailsOnStorageAsync(() => ban.WaitAsync(ClusterFixture.CallTimeout));
        await Reloads.FailsOnStorageAsync(() => refusal.WaitAsync(ClusterFixture.CallTimeout));

        // Rebuilt from the ledger, the retry is decided afresh, and keeps its answer across a reactivation.
        var refused = await Reloads.RetryAsync("the retried refusal", () => sale.BuyNowAsync(greedy, 2, "greedy"));
        Assert.Equal(PurchaseStatus.LimitExceeded, refused.Result.Status);
        await fixture.Cluster.DeactivateAsync(sale);
        await sale.EndAsync(hostId);
        Assert.Equal(refused.Result, (await sale.BuyNowAsync(greedy, 2, "greedy")).Result);
    }

    [Fact]
    public async Task ABannedBuyerIsRefusedOnlyOnceTheBanIsInTheLedgerAndNotWhenItsAppendFails()
    {
        var (sale, saleId, _) = await StartSaleAsync(quantity: 10);
        var buyer = Scenario.NewUser();
        var held = fixture.Faults.HoldNext(StateNames.FlashSale, saleId);

        // The room's ban is in the sale's memory while its append is held; the buyer's purchase arrives meanwhile.
        var ban = sale.SetBuyerBannedAsync(buyer.UserId, banned: true);
        await held.WhenHitAsync("the ban's append");
        var attempt = sale.BuyNowAsync(buyer, 1, "buy");
        await fixture.Calls.WaitForAsync(saleId, nameof(IFlashSaleGrain.BuyNowAsync), "buy", count: 1, "the purchase reaching the sale");

        // The ban's append fails: the buyer is not told "forbidden" on a ban that storage never had.
        held.Release(store: false);
        await Reloads.FailsOnStorageAsync(() => ban.WaitAsync(ClusterFixture.CallTimeout));
        await Reloads.FailsOnStorageAsync(() => attempt.WaitAsync(ClusterFixture.CallTimeout));

        // Rebuilt from the ledger, the sale has no ban: the retry buys.
        var retried = await Reloads.RetryAsync("the retried purchase", () => sale.BuyNowAsync(buyer, 1, "buy"));
        Assert.Equal(PurchaseStatus.Confirmed, retried.Result.Status);

        // A ban that is stored refuses at once (the same buyer's next request).
        await sale.SetBuyerBannedAsync(buyer.UserId, banned: true);
        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => sale.BuyNowAsync(buyer, 1, "again"));
    }

    /// <remarks>
    /// The last unit's confirmation leaves the sale sold out in memory while its append is in flight. An end answered
    /// from there would tell the host (and the room, which drops the sale from its list) that the sale is over, and a
    /// failed append would then leave the rebuilt sale selling.
    /// </remarks>
    [Fact]
    public async Task AnEndIsAnsweredOnlyOnceTheSaleIsStoredAndFailsWithTheAppendBeforeIt()
    {
        var (sale, saleId, hostId) = await StartSaleAsync(quantity: 1);
        var buyer = Scenario.NewUser();
        var held = fixture.Faults.HoldNext(StateNames.FlashSale, saleId);

        var purchase = sale.BuyNowAsync(buyer, 1, "last");
        await held.WhenHitAsync("the last unit's append");
        var end = sale.EndAsync(hostId);
        await fixture.Calls.WaitForAsync(saleId, nameof(IFlashSaleGrain.EndAsync), hostId, count: 1, "the host's end reaching the sale");
        Assert.False(end.IsCompleted, "the end was answered from a sale sold out by an append still in flight");

        held.Release(store: false);
        await Reloads.FailsOnStorageAsync(() => purchase.WaitAsync(ClusterFixture.CallTimeout));
        await Reloads.FailsOnStorageAsync(() => end.WaitAsync(ClusterFixture.CallTimeout));

        // Rebuilt from the ledger, the sale is still selling its unit; the host's retry ends it, and that holds.
        var ended = await Reloads.RetryAsync("the host's retried end", () => sale.EndAsync(hostId));
        Assert.Equal((SaleStatus.Ended, 1), (ended.Status, ended.Remaining));
        await fixture.Cluster.DeactivateAsync(sale);
        var reloaded = await sale.GetAsync();
        Assert.Equal((SaleStatus.Ended, 1), (reloaded.Status, reloaded.Remaining));
        Assert.Empty(await Grains.GetGrain<IOrderBookGrain>(buyer.UserId).ListAsync());
    }

    [Fact]
    public async Task ConfirmationsOrdersAndSoldAgreeAfterFailedWrites()
    {
        var (sale, saleId, _) = await StartSaleAsync(quantity: 10);
        var buyers = Enumerable.Range(1, 6).Select(i => Scenario.NewUser($"Buyer {i}")).ToArray();

        // Two of the sale's writes fail, and the first write of two buyers' order books.
        fixture.Faults.FailNext(StateNames.FlashSale, saleId, count: 2);
        fixture.Faults.FailNext(StateNames.OrderBook, buyers[0].UserId);
        fixture.Faults.FailNext(StateNames.OrderBook, buyers[3].UserId);

        var confirmed = new Dictionary<string, PurchaseResult>(StringComparer.Ordinal);
        foreach (var buyer in buyers)
        {
            var outcome = await Reloads.RetryAsync($"the purchase of {buyer.DisplayName}", () => sale.BuyNowAsync(buyer, 1, "buy"));
            Assert.Equal(PurchaseStatus.Confirmed, outcome.Result.Status);
            confirmed[buyer.UserId] = outcome.Result;
        }

        // The outbox redelivers on the sale's tick what the order books refused.
        foreach (var buyer in buyers)
        {
            var book = Grains.GetGrain<IOrderBookGrain>(buyer.UserId);
            await Eventually.GetAsync(
                $"the order of {buyer.DisplayName} in the order book",
                async () =>
                {
                    fixture.Advance(new FlashSaleOptions().ProgressInterval);
                    return await book.ListAsync();
                },
                orders => orders.Count > 0,
                ClusterFixture.CallTimeout,
                TimeSpan.FromMilliseconds(50),
                Reloads.IsStorageFailure);
        }

        await fixture.Cluster.DeactivateAsync(sale);
        var sold = 10 - (await sale.GetAsync()).Remaining;
        var stored = new List<Order>();
        foreach (var buyer in buyers)
        {
            var book = Grains.GetGrain<IOrderBookGrain>(buyer.UserId);
            await fixture.Cluster.DeactivateAsync(book);
            stored.AddRange(await book.ListAsync());
            Assert.Equal(confirmed[buyer.UserId], (await sale.BuyNowAsync(buyer, 1, "buy")).Result);
        }

        Assert.Equal(confirmed.Count, sold);
        Assert.Equal(confirmed.Values.Select(r => r.OrderId).Order(), stored.Select(o => o.Id).Order());
    }

    /// <remarks>
    /// A confirmation's order goes into its buyer's book with the confirmation's own append; the sale's outbox keeps it
    /// until a later append records that. An activation that stops before then has the order offered again, and the
    /// book must take it once.
    /// </remarks>
    [Fact]
    public async Task AnOrderStoredWithItsConfirmationIsInItsBookOnceWhenTheRecordOfThatIsLost()
    {
        var (sale, saleId, hostId) = await StartSaleAsync(quantity: 10);
        var first = Scenario.NewUser();
        var confirmed = (await sale.BuyNowAsync(first, 1, "buy")).Result;
        Assert.Equal(0, fixture.Calls.Count(first.UserId, nameof(IOrderBookGrain.AddAsync), ""));

        // The next append carries the record that the first order is in its book; it fails, and the sale reloads from a
        // ledger with the first confirmation but not that record.
        fixture.Faults.FailNext(StateNames.FlashSale, saleId);
        var second = Scenario.NewUser();
        await Reloads.FailsOnStorageAsync(() => sale.BuyNowAsync(second, 1, "buy"));
        var retried = await Reloads.RetryAsync("the second purchase", () => sale.BuyNowAsync(second, 1, "buy"));
        Assert.Equal(PurchaseStatus.Confirmed, retried.Result.Status);

        // The audit delivers what the outbox owes first: the first order is offered to its book again, which keeps one.
        var audit = await sale.AuditAsync(hostId);
        Assert.True(audit.Consistent, string.Join("; ", audit.Problems));
        Assert.Equal((2, 2), (audit.Confirmed, audit.Orders));
        Assert.Equal(1, fixture.Calls.Count(first.UserId, nameof(IOrderBookGrain.AddAsync), ""));
        Assert.Equal(confirmed.OrderId, Assert.Single(await Grains.GetGrain<IOrderBookGrain>(first.UserId).ListAsync()).Id);
        Assert.Single(await fixture.Ledgers.ReadAsync(OrderBookGrain.LedgerName, first.UserId, 0, 10));
        Assert.Equal(retried.Result.OrderId, Assert.Single(await Grains.GetGrain<IOrderBookGrain>(second.UserId).ListAsync()).Id);
    }

    [Fact]
    public async Task AStartWhoseAppendFailsGivesItsReservedUnitsBackToTheProduct()
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 50);
        var saleId = Ids.New("sale");

        // The start's own append (the ledger's first entry) fails: nothing of the sale is stored.
        var fault = fixture.Faults.FailNext(StateNames.FlashSale, saleId);
        await Assert.ThrowsAnyAsync<Exception>(() => room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 20, perUserLimit: 1), saleId));
        Assert.Equal(1, fault.Hits);

        // The 20 units it reserved are back.
        Assert.Equal(50, await Grains.StockOfAsync(product.Id));

        // The same start sent again (the hub server re-sends it with the same sale id) takes them anew: the sale that
        // sells 20 holds 20 of the product's units, and the product keeps 30 for everything else.
        var again = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 20, perUserLimit: 1), saleId);
        Assert.Equal((saleId, 20), (again.Id, again.Remaining));
        Assert.Equal(30, await Grains.StockOfAsync(product.Id));
    }

    private async Task<(IFlashSaleGrain Sale, string SaleId, string HostId)> StartSaleAsync(int quantity)
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 50);
        var started = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: quantity, perUserLimit: 1));
        return (Grains.GetGrain<IFlashSaleGrain>(started.Id), started.Id, hostId);
    }
}
