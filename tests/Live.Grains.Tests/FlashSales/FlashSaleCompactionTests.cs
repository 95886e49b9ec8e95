using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Grains.Tests.Infrastructure;

namespace Live.Grains.Tests.FlashSales;

/// <summary>The cluster's idempotency window is an hour (<see cref="ClusterFixture"/>).</summary>
[Collection(ClusterCollection.Name)]
public sealed class FlashSaleCompactionTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(1);

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
}
