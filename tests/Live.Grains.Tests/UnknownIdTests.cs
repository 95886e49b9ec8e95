using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using Live.Contracts.Sellers;
using Live.Grains.Tests.Infrastructure;
using Live.Testing;

namespace Live.Grains.Tests;

/// <summary>Any id may be asked about; one that holds nothing answers and leaves no activation and no state.</summary>
[Collection(ClusterCollection.Name)]
public sealed class UnknownIdTests(ClusterFixture fixture)
{
    private const int IdsPerKind = 25;

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task UnknownRoomsProductsSalesAndSellersKeepNoActivation()
    {
        var user = Scenario.NewUser();
        var asked = new List<string>();
        for (var i = 0; i < IdsPerKind; i++)
        {
            var roomId = Ids.New("room");
            var productId = Ids.New("prod");
            var saleId = Ids.New("sale");
            var hostId = Ids.New("host");
            asked.AddRange([roomId, productId, saleId, hostId]);

            var room = Grains.GetGrain<ILiveRoomGrain>(roomId);
            await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.GetSnapshotAsync());
            await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.JoinAsync(user.UserId));
            await Scenario.RefusedAsync(ErrorCodes.NotFound, () => room.SendChatAsync(user, "hello"));
            await Scenario.RefusedAsync(ErrorCodes.NotFound, () => Grains.GetGrain<IProductGrain>(productId).GetAsync());
            await Scenario.RefusedAsync(ErrorCodes.NotFound, () => Grains.GetGrain<IProductGrain>(productId).TryReserveAsync("order", 1));
            await Scenario.RefusedAsync(ErrorCodes.NotFound, () => Grains.GetGrain<IFlashSaleGrain>(saleId).GetAsync());
            await Scenario.RefusedAsync(ErrorCodes.NotFound, () => Grains.GetGrain<IFlashSaleGrain>(saleId).BuyNowAsync(user, 1, "r1"));

            var seller = Grains.GetGrain<ISellerGrain>(hostId);
            Assert.Empty((await seller.GetAsync()).Brands);
            Assert.Empty((await seller.RevokeAsync("Kitsune")).Brands);
        }

        await GrainActivations.WaitUntilNoneActiveAsync(Grains, asked, "grains asked about unknown ids");

        // Nothing was stored either: asked again, each is still unknown.
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => Grains.GetGrain<ILiveRoomGrain>(asked[0]).GetRoomAsync());
        Assert.Empty((await Grains.GetGrain<ISellerGrain>(asked[3]).GetAsync()).Brands);
    }

    [Fact]
    public async Task ARefusedCreationOrSaleStartKeepsNoActivation()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var theirs = await Grains.CreateProductAsync(stock: 10);
        var saleId = Ids.New("sale");
        var roomIdRefused = Ids.New("room");
        var productIdRefused = Ids.New("prod");

        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () =>
            Grains.GetGrain<IFlashSaleGrain>(saleId).StartAsync(hostId, roomId, theirs, Scenario.SaleOf(theirs), []));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () =>
            Grains.GetGrain<ILiveRoomGrain>(roomIdRefused).CreateAsync(hostId, new NewRoom { Title = " " }));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () =>
            Grains.GetGrain<IProductGrain>(productIdRefused).CreateAsync(hostId, new NewProduct { Name = "", Brand = "Acme", Price = 1m }));

        await GrainActivations.WaitUntilNoneActiveAsync(Grains, [saleId, roomIdRefused, productIdRefused], "grains whose creation was refused");
        Assert.Contains(roomId, await GrainActivations.ActiveKeysAsync(Grains));
        Assert.Empty((await room.GetSnapshotAsync()).ActiveSales);
    }
}
