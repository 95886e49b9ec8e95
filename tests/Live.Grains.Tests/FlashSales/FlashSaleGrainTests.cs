using Live.Contracts;
using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Contracts.Orders;
using Live.Grains.FlashSales;
using Live.Grains.Rooms;
using Live.Grains.Tests.Infrastructure;
using Live.Testing;

namespace Live.Grains.Tests.FlashSales;

[Collection(ClusterCollection.Name)]
public sealed class FlashSaleGrainTests(ClusterFixture fixture)
{
    private static readonly FlashSaleOptions Defaults = new();

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task StartingASaleReservesItsQuantityFromTheProductStock()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 100);

        var sale = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 30, perUserLimit: 2, durationSeconds: 90, price: 49.9m));

        Assert.StartsWith("sale_", sale.Id, StringComparison.Ordinal);
        Assert.Equal(roomId, sale.RoomId);
        Assert.Equal(product, sale.Product);
        Assert.Equal(49.9m, sale.Price);
        Assert.Equal(30, sale.Quantity);
        Assert.Equal(30, sale.Remaining);
        Assert.Equal(2, sale.PerUserLimit);
        Assert.Equal(SaleStatus.Active, sale.Status);
        Assert.Equal(fixture.Clock.GetUtcNow().AddSeconds(90), sale.EndsAt);
        Assert.Equal(sale, await Grains.GetGrain<IFlashSaleGrain>(sale.Id).GetAsync());
        Assert.Equal(sale, Assert.Single((await room.GetSnapshotAsync()).ActiveSales));
        Assert.Equal(70, await Grains.StockOfAsync(product.Id));
        Assert.Equal(sale, (await fixture.Events.WaitForAsync<FlashSaleStartedEvent>(roomId, _ => true, "FlashSaleStarted")).Sale);
    }

    [Fact]
    public async Task ARoomHasAtMostMaxOpenSalesAndASalePastThatIsAConflictThatTakesNothing()
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 100);
        var max = new LiveRoomOptions().MaxOpenSales;
        var sales = new List<FlashSale>();
        for (var i = 0; i < max; i++)
        {
            sales.Add(await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 1, durationSeconds: 3600)));
        }

        var refused = await Scenario.RefusedAsync(ErrorCodes.Conflict, () => room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 1)));
        Assert.Equal($"a room has at most {max} open flash sales; end one first", refused.Message);
        Assert.Equal(100 - max, await Grains.StockOfAsync(product.Id));
        Assert.Equal(max, (await room.GetSnapshotAsync()).ActiveSales.Count);

        // An ended sale frees its place (once the room has its end), and the next start takes it.
        await Grains.GetGrain<IFlashSaleGrain>(sales[0].Id).EndAsync(hostId);
        var next = await Eventually.GetAsync(
            "a start once the ended sale left the room's list",
            () => room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 1)),
            _ => true,
            ClusterFixture.CallTimeout,
            retryOn: e => e is LiveException { Code: ErrorCodes.Conflict });
        Assert.Equal(SaleStatus.Active, next.Status);
        Assert.Equal(max, (await room.GetSnapshotAsync()).ActiveSales.Count);
    }

    [Fact]
    public async Task ARetriedStartWhoseListingWasTakenBackIsListedEvenWhenTheRoomIsFull()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 100);
        var max = new LiveRoomOptions().MaxOpenSales;
        for (var i = 0; i < max - 1; i++)
        {
            await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 1, durationSeconds: 3600));
        }

        // The sale starts, but the room cannot store its listing and takes it back; meanwhile another sale fills the room.
        var saleId = Ids.New("sale");
        fixture.Faults.FailNextUnsent(StateNames.Room, roomId);
        await Assert.ThrowsAnyAsync<Exception>(() => room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 1, durationSeconds: 3600), saleId));
        await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 1, durationSeconds: 3600));

        // The host's retry of the first start lists the sale that is already running, rather than refusing it.
        var retried = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 1, durationSeconds: 3600), saleId);
        Assert.Equal((saleId, SaleStatus.Active), (retried.Id, retried.Status));
        Assert.Contains((await room.GetSnapshotAsync()).ActiveSales, s => s.Id == saleId);
        Assert.Equal(100 - max - 1, await Grains.StockOfAsync(product.Id));
    }

    [Fact]
    public async Task ASaleLargerThanTheStockIsAConflictAndTakesNothing()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 5);

        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 6)));

        Assert.Equal(5, await Grains.StockOfAsync(product.Id));
        Assert.Empty((await room.GetSnapshotAsync()).ActiveSales);

        // Exactly the stock is fine, and leaves none.
        await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 5));
        Assert.Equal(0, await Grains.StockOfAsync(product.Id));
        await fixture.Events.WaitForAsync<FlashSaleStartedEvent>(roomId, _ => true, "FlashSaleStarted");
        Assert.Single(fixture.Events.EventsOf<FlashSaleStartedEvent>(roomId));
    }

    [Fact]
    public async Task InvalidSaleParametersAreRefused()
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 100);
        var valid = Scenario.SaleOf(product, quantity: 10, perUserLimit: 2, durationSeconds: 60, price: 10m);
        var invalid = new (string Case, NewFlashSale Sale)[]
        {
            ("zero price", valid with { Price = 0m }),
            ("negative price", valid with { Price = -5m }),
            ("three decimals", valid with { Price = 9.999m }),
            ("zero quantity", valid with { Quantity = 0 }),
            ("quantity above the maximum", valid with { Quantity = Defaults.MaxQuantity + 1 }),
            ("zero per-user limit", valid with { PerUserLimit = 0 }),
            ("per-user limit above quantity", valid with { PerUserLimit = 11 }),
            ("too short", valid with { DurationSeconds = Defaults.MinDurationSeconds - 1 }),
            ("too long", valid with { DurationSeconds = Defaults.MaxDurationSeconds + 1 }),
            ("no product", valid with { ProductId = null }),
            ("malformed product id", valid with { ProductId = "two words" }),
        };

        foreach (var (name, sale) in invalid)
        {
            var error = await Record.ExceptionAsync(() => room.StartFlashSaleAsync(hostId, sale));
            Assert.True(error is LiveException { Code: ErrorCodes.InvalidArgument }, $"{name}: expected {ErrorCodes.InvalidArgument}, got {error?.ToString() ?? "no error"}");
        }

        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.StartFlashSaleAsync(hostId, valid with { ProductId = Ids.New("prod") }));
        Assert.Equal(100, await Grains.StockOfAsync(product.Id));
        Assert.Empty((await room.GetSnapshotAsync()).ActiveSales);
    }

    [Fact]
    public async Task AReplayedRequestGetsTheSameResultAndBuysOnce()
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);
        var sale = Grains.GetGrain<IFlashSaleGrain>((await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, perUserLimit: 3))).Id);
        var buyer = Scenario.NewUser();

        var first = await sale.BuyNowAsync(buyer, 2, "req-1");
        var replay = await sale.BuyNowAsync(buyer, 2, "req-1");

        Assert.Equal(PurchaseStatus.Confirmed, first.Result.Status);
        Assert.Equal(2, first.Result.Quantity);
        Assert.Equal(8, first.Result.Remaining);
        Assert.NotNull(first.NewOrder);
        Assert.Equal(first.Result.OrderId, first.NewOrder.Id);
        Assert.Equal(first.Result, replay.Result);
        Assert.Null(replay.NewOrder);
        Assert.Equal(8, (await sale.GetAsync()).Remaining);

        var order = Assert.Single(await Grains.GetGrain<IOrderBookGrain>(buyer.UserId).ListAsync());
        Assert.Equivalent(first.NewOrder, order, strict: true);
        Assert.Equal(sale.GetPrimaryKeyString(), order.SaleId);
        Assert.Equal(buyer.UserId, order.UserId);
        Assert.Equal(198m, order.Total);
        Assert.Equal(product.Currency, order.Currency);
        Assert.Equal(OrderStatus.Confirmed, order.Status);
        Assert.Equal(new OrderItem { ProductId = product.Id, Quantity = 2, Price = 99m }, Assert.Single(order.Items));

        // The same request id of another user is another request.
        var other = await sale.BuyNowAsync(Scenario.NewUser(), 1, "req-1");
        Assert.Equal(PurchaseStatus.Confirmed, other.Result.Status);
        Assert.Equal(7, other.Result.Remaining);
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => sale.BuyNowAsync(buyer, 1, ""));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => sale.BuyNowAsync(buyer, 0, "req-2"));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => sale.BuyNowAsync(buyer, 11, "req-3"));
    }

    /// <remarks>
    /// The order is written into the buyer's book by the sale's own append, with no call to the book: a book already
    /// active reads what was appended behind it before it answers.
    /// </remarks>
    [Fact]
    public async Task AConfirmedOrderIsInTheBuyersBookWhenAnsweredEvenIfTheBookWasActiveBefore()
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);
        var sale = Grains.GetGrain<IFlashSaleGrain>((await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, perUserLimit: 3))).Id);
        var buyer = Scenario.NewUser();
        var book = Grains.GetGrain<IOrderBookGrain>(buyer.UserId);
        Assert.Empty(await book.ListAsync());

        var first = await sale.BuyNowAsync(buyer, 1, "req-1");
        Assert.Equal(first.Result.OrderId, Assert.Single(await book.ListAsync()).Id);
        var second = await sale.BuyNowAsync(buyer, 2, "req-2");

        Assert.Equivalent(second.NewOrder, await book.FindAsync(second.Result.OrderId!), strict: true);
        Assert.Equal([second.Result.OrderId, first.Result.OrderId], (await book.ListAsync()).Select(o => o.Id));
        Assert.Equal(0, fixture.Calls.Count(buyer.UserId, nameof(IOrderBookGrain.AddAsync), ""));
    }

    [Fact]
    public async Task BuyingBeyondThePerUserLimitIsLimitExceeded()
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);
        var sale = Grains.GetGrain<IFlashSaleGrain>((await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, perUserLimit: 2))).Id);
        var buyer = Scenario.NewUser();

        Assert.Equal(
            new PurchaseResult { Status = PurchaseStatus.LimitExceeded, Quantity = 0, Remaining = 10 },
            (await sale.BuyNowAsync(buyer, 3, "too-many")).Result);
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(buyer, 1, "one")).Result.Status);
        Assert.Equal(
            new PurchaseResult { Status = PurchaseStatus.LimitExceeded, Quantity = 0, Remaining = 9 },
            (await sale.BuyNowAsync(buyer, 2, "two-more")).Result);
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(buyer, 1, "another")).Result.Status);
        var refused = await sale.BuyNowAsync(buyer, 1, "a-third");
        Assert.Equal(new PurchaseResult { Status = PurchaseStatus.LimitExceeded, Quantity = 0, Remaining = 8 }, refused.Result);
        Assert.Null(refused.NewOrder);

        Assert.Equal(8, (await sale.GetAsync()).Remaining);
        Assert.Equal(2, (await Grains.GetGrain<IOrderBookGrain>(buyer.UserId).ListAsync()).Count);
    }

    [Fact]
    public async Task AskingForMoreThanRemainsIsSoldOut()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId);
        var sale = Grains.GetGrain<IFlashSaleGrain>((await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 5, perUserLimit: 5))).Id);

        Assert.Equal(2, (await sale.BuyNowAsync(Scenario.NewUser(), 3, "r")).Result.Remaining);
        var tooMany = await sale.BuyNowAsync(Scenario.NewUser(), 3, "r");
        Assert.Equal(new PurchaseResult { Status = PurchaseStatus.SoldOut, Quantity = 0, Remaining = 2 }, tooMany.Result);
        Assert.Equal(SaleStatus.Active, (await sale.GetAsync()).Status);

        var last = await sale.BuyNowAsync(Scenario.NewUser(), 2, "r");
        Assert.Equal(PurchaseStatus.Confirmed, last.Result.Status);
        Assert.Equal(0, last.Result.Remaining);
        var ended = await fixture.Events.WaitForAsync<FlashSaleEndedEvent>(roomId, _ => true, "FlashSaleEnded of the sold-out sale");
        Assert.Equal(SaleStatus.SoldOut, ended.Sale.Status);
        Assert.Equal(0, ended.Sale.Remaining);
        Assert.Equal(ended.Sale, await sale.GetAsync());

        Assert.Equal(
            new PurchaseResult { Status = PurchaseStatus.SoldOut, Quantity = 0, Remaining = 0 },
            (await sale.BuyNowAsync(Scenario.NewUser(), 1, "r")).Result);

        // Everything sold: nothing goes back to the product's stock, and the end is announced once.
        Assert.Equal(95, await Grains.StockOfAsync(product.Id));
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Single(fixture.Events.EventsOf<FlashSaleEndedEvent>(roomId));
    }

    [Fact]
    public async Task AfterTheHostEndsASaleBuyingIsNotActiveAndUnsoldUnitsReturnToStock()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 100);
        var started = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, perUserLimit: 5));
        var sale = Grains.GetGrain<IFlashSaleGrain>(started.Id);
        var buyer = Scenario.NewUser();
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(buyer, 3, "before")).Result.Status);
        Assert.Equal(90, await Grains.StockOfAsync(product.Id));

        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => sale.EndAsync(Ids.New("host")));
        var ended = await sale.EndAsync(hostId);

        Assert.Equal(started with { Status = SaleStatus.Ended, Remaining = 7 }, ended);
        Assert.Equal(97, await Grains.StockOfAsync(product.Id));
        Assert.Equal(ended, (await fixture.Events.WaitForAsync<FlashSaleEndedEvent>(roomId, _ => true, "FlashSaleEnded")).Sale);
        Assert.Equal(
            new PurchaseResult { Status = PurchaseStatus.NotActive, Quantity = 0, Remaining = 7 },
            (await sale.BuyNowAsync(buyer, 1, "after")).Result);

        // Ending again changes nothing and gives nothing back twice; the earlier purchase still replays.
        Assert.Equal(ended, await sale.EndAsync(hostId));
        Assert.Equal(97, await Grains.StockOfAsync(product.Id));
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(buyer, 3, "before")).Result.Status);
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Single(fixture.Events.EventsOf<FlashSaleEndedEvent>(roomId));
    }

    [Fact]
    public async Task ASaleExpiresWhenTheClockPassesItsEnd()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 40);
        var started = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 20, perUserLimit: 5, durationSeconds: 30));
        var sale = Grains.GetGrain<IFlashSaleGrain>(started.Id);
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(Scenario.NewUser(), 4, "r")).Result.Status);

        fixture.Advance(TimeSpan.FromSeconds(29));
        Assert.Equal(SaleStatus.Active, (await sale.GetAsync()).Status);
        Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(Scenario.NewUser(), 1, "r")).Result.Status);

        fixture.Advance(TimeSpan.FromSeconds(1));
        var ended = await fixture.Events.WaitForAsync<FlashSaleEndedEvent>(
            roomId, _ => true, "FlashSaleEnded of the expired sale", () => fixture.Advance(Defaults.ProgressInterval), TimeSpan.FromMilliseconds(200));

        Assert.Equal(started with { Status = SaleStatus.Ended, Remaining = 15 }, ended.Sale);
        Assert.Equal(ended.Sale, await sale.GetAsync());
        Assert.Equal(
            new PurchaseResult { Status = PurchaseStatus.NotActive, Quantity = 0, Remaining = 15 },
            (await sale.BuyNowAsync(Scenario.NewUser(), 1, "r")).Result);
        Assert.Equal(35, await Grains.StockOfAsync(product.Id));
    }
}
