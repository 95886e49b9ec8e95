using Live.Contracts;
using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Grains.Tests.Infrastructure;

namespace Live.Grains.Tests.Catalog;

/// <summary>A host may pin and sell only its own products, whichever grain is asked.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ProductOwnershipGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task AHostCannotPinOrSellAnotherHostsProductAndNothingIsReserved()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var theirs = await Grains.CreateProductAsync(owner: Ids.New("host"), stock: 100);

        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => room.PinAsync(hostId, theirs.Id));
        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => room.StartFlashSaleAsync(hostId, Scenario.SaleOf(theirs, quantity: 100, price: 0.01m)));

        // The sale grain itself refuses too: the product checks the owner of every sale reservation.
        var saleId = Ids.New("sale");
        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () =>
            Grains.GetGrain<IFlashSaleGrain>(saleId).StartAsync(hostId, roomId, theirs, Scenario.SaleOf(theirs, quantity: 100, price: 0.01m), []));
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => Grains.GetGrain<IFlashSaleGrain>(saleId).GetAsync());

        Assert.Equal(100, await Grains.StockOfAsync(theirs.Id));
        var snapshot = await room.GetSnapshotAsync();
        Assert.Null(snapshot.PinnedProduct);
        Assert.Empty(snapshot.ActiveSales);
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Empty(fixture.Events.EventsOf<ProductPinnedEvent>(roomId));
        Assert.Empty(fixture.Events.EventsOf<FlashSaleStartedEvent>(roomId));

        // The host's own product is pinned and sold as before.
        var mine = await Grains.CreateProductAsync(owner: hostId, stock: 100);
        Assert.Equal(mine.Id, (await room.PinAsync(hostId, mine.Id)).PinnedProduct?.Id);
        await room.StartFlashSaleAsync(hostId, Scenario.SaleOf(mine, quantity: 10));
        Assert.Equal(90, await Grains.StockOfAsync(mine.Id));
    }
}
