using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Contracts.Orders;
using Live.Grains.Tests.Infrastructure;

namespace Live.Grains.Tests.FlashSales;

[Collection(ClusterCollection.Name)]
public sealed class FlashSaleConcurrencyTests(ClusterFixture fixture)
{
    private const int Buyers = 200;
    private const int Units = 10;
    private const int Stock = 100;

    private IGrainFactory Grains => fixture.Client;

    /// <summary>
    /// Each buyer fires one request three times at once (a client retrying) and a second, different request alongside,
    /// all 800 calls in flight together.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task TwoHundredBuyersRacingForTenUnitsBuyExactlyTenAndNoMore(int perUserLimit)
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: Stock);
        var started = await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(product, quantity: Units, perUserLimit: perUserLimit));
        var sale = Grains.GetGrain<IFlashSaleGrain>(started.Id);
        var buyers = Enumerable.Range(0, Buyers).Select(i => Scenario.NewUser($"Buyer {i}")).ToArray();

        var calls = buyers.SelectMany(buyer => new[]
        {
            (Buyer: buyer, RequestId: "first", Call: sale.BuyNowAsync(buyer, 1, "first")),
            (Buyer: buyer, RequestId: "first", Call: sale.BuyNowAsync(buyer, 1, "first")),
            (Buyer: buyer, RequestId: "first", Call: sale.BuyNowAsync(buyer, 1, "first")),
            (Buyer: buyer, RequestId: "second", Call: sale.BuyNowAsync(buyer, 1, "second")),
        }).ToArray();
        await Task.WhenAll(calls.Select(c => c.Call)).WaitAsync(TimeSpan.FromSeconds(60));

        // Every call of one request got the same result; only one of them carries the new order.
        var requests = calls
            .GroupBy(c => (c.Buyer.UserId, c.RequestId))
            .Select(g =>
            {
                var outcomes = g.Select(c => c.Call.Result).ToArray();
                Assert.All(outcomes, o => Assert.Equal(outcomes[0].Result, o.Result));
                var withOrder = outcomes.Where(o => o.NewOrder is not null).ToArray();
                Assert.Equal(outcomes[0].Result.Status == PurchaseStatus.Confirmed ? 1 : 0, withOrder.Length);
                return (g.Key.UserId, g.Key.RequestId, outcomes[0].Result);
            })
            .ToArray();

        var confirmed = requests.Where(r => r.Result.Status == PurchaseStatus.Confirmed).ToArray();
        Assert.Equal(Units, confirmed.Sum(r => r.Result.Quantity));
        Assert.All(confirmed, r => Assert.Equal(1, r.Result.Quantity));
        Assert.Equal(Units, confirmed.Select(r => r.Result.OrderId).Distinct().Count());
        Assert.Equal(
            Enumerable.Range(0, Units).Reverse(),
            confirmed.Select(r => r.Result.Remaining).Order().Reverse());
        Assert.All(confirmed.GroupBy(r => r.UserId), g => Assert.InRange(g.Count(), 1, perUserLimit));

        var refusals = requests.Where(r => r.Result.Status != PurchaseStatus.Confirmed).ToArray();
        Assert.Equal(Buyers * 2 - Units, refusals.Length);
        Assert.All(refusals, r =>
        {
            Assert.Contains(r.Result.Status, new[] { PurchaseStatus.SoldOut, PurchaseStatus.LimitExceeded });
            Assert.Equal(0, r.Result.Quantity);
            Assert.Null(r.Result.OrderId);
        });
        // A buyer without a unit is never over a limit of one or two when asking for one.
        var owners = confirmed.Select(r => r.UserId).ToHashSet();
        Assert.All(refusals.Where(r => !owners.Contains(r.UserId)), r => Assert.Equal(PurchaseStatus.SoldOut, r.Result.Status));
        if (perUserLimit == 2)
        {
            Assert.DoesNotContain(refusals, r => r.Result.Status == PurchaseStatus.LimitExceeded);
        }

        // Every confirmed result has exactly one order, in its buyer's order book; nobody else has one.
        foreach (var buyer in buyers)
        {
            var orders = (await Grains.GetGrain<IOrderBookGrain>(buyer.UserId).ListAsync()).Where(o => o.SaleId == started.Id).ToArray();
            var mine = confirmed.Where(r => r.UserId == buyer.UserId).ToArray();
            Assert.Equal(mine.Select(r => r.Result.OrderId).Order(), orders.Select(o => o.Id).Order());
            Assert.All(orders, o =>
            {
                Assert.Equal(buyer.UserId, o.UserId);
                Assert.Equal(new OrderItem { ProductId = product.Id, Quantity = 1, Price = started.Price }, Assert.Single(o.Items));
                Assert.Equal(started.Price, o.Total);
            });
        }

        // Replays after the race still answer the same, and buy nothing.
        foreach (var (userId, requestId, result) in requests)
        {
            var buyer = buyers.Single(b => b.UserId == userId);
            var replay = await sale.BuyNowAsync(buyer, 1, requestId);
            Assert.Equal(result, replay.Result);
            Assert.Null(replay.NewOrder);
        }

        var final = await sale.GetAsync();
        Assert.Equal(0, final.Remaining);
        Assert.Equal(SaleStatus.SoldOut, final.Status);
        Assert.Equal(Stock - Units, await Grains.StockOfAsync(product.Id));
        var ended = await fixture.Events.WaitForAsync<FlashSaleEndedEvent>(roomId, e => e.Sale.Id == started.Id, "FlashSaleEnded of the sold-out sale");
        Assert.Equal(final, ended.Sale);
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Single(fixture.Events.EventsOf<FlashSaleEndedEvent>(roomId));
    }
}
