using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Contracts.Orders;
using Live.Grains.FlashSales;
using Live.Grains.Rooms;
using Live.Grains.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Live.Grains.Tests.FlashSales;

/// <summary>What a sale promises must hold when its grain is deactivated and comes back from storage.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FlashSaleRestartTests(ClusterFixture fixture)
{
    private static readonly FlashSaleOptions Defaults = new();

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task PurchasesLimitsAndReplaysSurviveARestart()
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 50);
        var sale = Grains.GetGrain<IFlashSaleGrain>((await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, perUserLimit: 2))).Id);
        var buyer = Scenario.NewUser();
        var bought = await sale.BuyNowAsync(buyer, 2, "buy");

        await fixture.Cluster.DeactivateAsync(sale);

        var replay = await sale.BuyNowAsync(buyer, 2, "buy");
        Assert.Equal(bought.Result, replay.Result);
        Assert.Null(replay.NewOrder);
        Assert.Equal(8, (await sale.GetAsync()).Remaining);
        Assert.Equal(PurchaseStatus.LimitExceeded, (await sale.BuyNowAsync(buyer, 1, "more")).Result.Status);
        Assert.Equal(bought.Result.OrderId, Assert.Single(await Grains.GetGrain<IOrderBookGrain>(buyer.UserId).ListAsync()).Id);
        Assert.Equal(40, await Grains.StockOfAsync(product.Id));
    }

    [Fact]
    public async Task ARefusedRequestIsRefusedTheSameWayAfterARestart()
    {
        var (room, _, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 50);
        var sale = Grains.GetGrain<IFlashSaleGrain>((await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, perUserLimit: 1))).Id);
        var greedy = Scenario.NewUser();
        var tooMany = await sale.BuyNowAsync(greedy, 2, "greedy");
        Assert.Equal(new PurchaseResult { Status = PurchaseStatus.LimitExceeded, Quantity = 0, Remaining = 10 }, tooMany.Result);

        await fixture.Cluster.DeactivateAsync(sale);
        await sale.EndAsync(hostId);

        // The sale has ended since, but these requests were answered before: they keep their answers.
        Assert.Equal(tooMany.Result, (await sale.BuyNowAsync(greedy, 2, "greedy")).Result);
        Assert.Equal(PurchaseStatus.NotActive, (await sale.BuyNowAsync(greedy, 1, "later")).Result.Status);
    }

    [Fact]
    public async Task ProgressIsPublishedAtMostOncePerInterval()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 50);
        var started = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, perUserLimit: 1));
        var sale = Grains.GetGrain<IFlashSaleGrain>(started.Id);
        var names = new List<string>();
        for (var i = 1; i <= 7; i++)
        {
            var buyer = Scenario.NewUser($"Buyer {i}");
            names.Add(buyer.DisplayName);
            Assert.Equal(PurchaseStatus.Confirmed, (await sale.BuyNowAsync(buyer, 1, "r")).Result.Status);
        }

        // Seven purchases between two ticks: one update, with the newest buyers first.
        var update = await fixture.Events.WaitForAsync<FlashSaleUpdatedEvent>(
            roomId, _ => true, "FlashSaleUpdated", () => fixture.Advance(Defaults.ProgressInterval), TimeSpan.FromMilliseconds(200));
        Assert.Equal(started.Id, update.Progress.SaleId);
        Assert.Equal(3, update.Progress.Remaining);
        Assert.Equal(7, update.Progress.Sold);
        Assert.Equal(Enumerable.Reverse(names).Take(Defaults.RecentBuyers), update.Progress.RecentBuyers);
        Assert.Single(fixture.Events.EventsOf<FlashSaleUpdatedEvent>(roomId));
    }

    [Fact]
    public async Task AnOverdueSaleWhoseGrainWentAwayIsWokenByItsRoom()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 50);
        var started = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, durationSeconds: 10));
        var sale = Grains.GetGrain<IFlashSaleGrain>(started.Id);

        // Without an activation the sale has no timer to end it; the room's tick asks overdue sales for their state.
        await fixture.Cluster.DeactivateAsync(sale);
        fixture.Advance(TimeSpan.FromSeconds(11));
        var ended = await fixture.Events.WaitForAsync<FlashSaleEndedEvent>(
            roomId, e => e.Sale.Id == started.Id, "FlashSaleEnded of the overdue sale", () => fixture.Advance(TimeSpan.FromSeconds(1)), TimeSpan.FromMilliseconds(200));

        Assert.Equal(started with { Status = SaleStatus.Ended }, ended.Sale);

        // The sale gives its units back right after announcing the end, in the same turn: a call to it waits for that.
        Assert.Equal(ended.Sale, await sale.GetAsync());
        Assert.Equal(50, await Grains.StockOfAsync(product.Id));
        Assert.Empty((await room.GetSnapshotAsync()).ActiveSales);
    }

    [Fact]
    public async Task AnOverdueSaleWhoseRoomWentAwayTooIsWokenByTheOpenRoomSweep()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 50);
        var started = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: 10, durationSeconds: 10));

        // As after a SIGKILL: neither the sale nor its room is active, so no timer and no tick runs for them.
        await fixture.Cluster.DeactivateAsync(Grains.GetGrain<IFlashSaleGrain>(started.Id));
        await fixture.Cluster.DeactivateAsync(room);
        for (var i = 0; i < 5; i++)
        {
            fixture.Advance(TimeSpan.FromSeconds(5));
            await Task.Delay(50);
        }

        Assert.Empty(fixture.Events.EventsOf<FlashSaleEndedEvent>(roomId));

        // The silo's sweep (OpenRoomWaker runs it at start and every minute) wakes the room, whose tick ends the sale.
        Assert.True(await new OpenRoomSweep(Grains, NullLogger<OpenRoomSweep>.Instance).SweepAsync() >= 1);
        var ended = await fixture.Events.WaitForAsync<FlashSaleEndedEvent>(
            roomId, e => e.Sale.Id == started.Id, "FlashSaleEnded of the overdue sale", () => fixture.Advance(TimeSpan.FromSeconds(1)), TimeSpan.FromMilliseconds(200));

        Assert.Equal(SaleStatus.Ended, ended.Sale.Status);
        Assert.Equal(50, await Grains.StockOfAsync(product.Id));
    }
}
