using System.Net;
using System.Net.Http.Json;
using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.Carts;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using Live.Contracts.Sellers;
using Live.Hub.Realtime;
using Live.Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Live.Hub.Tests.Api;

/// <summary>Who may do what with products and licences (issue 10, items 1, 2 and 6), through the public protocol.</summary>
[Collection(ServerCollection.Name)]
public sealed class SellerApiTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    private static string Id() => Guid.NewGuid().ToString("N")[..8];

    private Task<Product> ProductAsync(string productId) => Server.Http.GetAsync($"/api/products/{productId}").ReadAsync<Product>();

    [Fact]
    public async Task TheBadgeIsTheOperatorsLicenceNotTheBrandTyped()
    {
        var host = new HostScenario(Server, $"host-{Id()}");
        var balm = await host.CreateProductAsync(brand: "Perfect Diary");
        Assert.False(balm.Verified);
        Assert.Equal(host.HostId, balm.OwnerId);

        var licensed = await host.LicenseAsync("perfect diary");
        Assert.Equal(host.HostId, licensed.HostId);
        Assert.Equal(["perfect diary"], licensed.Brands);
        Assert.True((await ProductAsync(balm.Id)).Verified);
        Assert.True((await host.CreateProductAsync(brand: "PERFECT DIARY")).Verified);
        Assert.False((await host.CreateProductAsync(brand: "Florasis")).Verified);

        // Another host typing the same brand gets no badge.
        Assert.False((await new HostScenario(Server, $"host-{Id()}").CreateProductAsync(brand: "Perfect Diary")).Verified);

        var own = await host.Host.GetAsync($"/api/sellers/{host.HostId}").ReadAsync<Seller>();
        Assert.Equal(["perfect diary"], own.Brands);

        var revoked = await host.Operator.DeleteAsync($"/api/sellers/{host.HostId}/brands/Perfect%20Diary").ReadAsync<Seller>();
        Assert.Empty(revoked.Brands);
        Assert.False((await ProductAsync(balm.Id)).Verified);
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task RevokingALicenceClearsTheBadgeOnThePinViewersSee(WireProtocol protocol)
    {
        var host = new HostScenario(Server, $"host-{Id()}");
        await host.LicenseAsync("Florasis");
        var product = await host.CreateProductAsync(brand: "Florasis");
        var room = await host.CreateRoomAsync();
        await using var viewer = await Server.ConnectAsync(Server.Token($"viewer-{Id()}"), protocol);
        var pinned = new EventProbe<Product>(viewer, nameof(ILiveClient.ProductPinned));
        await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);

        await host.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id }).ReadAsync<RoomSnapshot>();
        Assert.True((await pinned.WaitAsync(p => p.Id == product.Id, what: "the pin")).Verified);

        await host.Operator.DeleteAsync($"/api/sellers/{host.HostId}/brands/Florasis").ReadAsync<Seller>();
        var resent = await pinned.WaitAsync(p => p.Id == product.Id && !p.Verified, what: "the pin re-sent without the badge");
        Assert.Equal((product.Name, product.Price, host.HostId), (resent.Name, resent.Price, resent.OwnerId));
        Assert.False((await Server.Http.GetAsync($"/api/rooms/{room.Id}").ReadAsync<RoomSnapshot>()).PinnedProduct!.Verified);
    }

    [Fact]
    public async Task SellerRoutesRefuseCallersWhoMayNotAndChangeNothing()
    {
        var host = new HostScenario(Server, $"host-{Id()}");
        var product = await host.CreateProductAsync(brand: "Anta");
        var path = $"/api/sellers/{host.HostId}/brands/Anta";
        var anonymous = Server.Client(null);
        var viewer = Server.Client(Server.Token($"viewer-{Id()}"));
        var moderator = Server.Client(Server.Token($"mod-{Id()}", Roles.Moderator));
        var otherHost = Server.Client(Server.Token($"host-{Id()}", Roles.Host));

        await anonymous.PutAsync(path, null).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
        await anonymous.DeleteAsync(path).AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
        await anonymous.GetAsync($"/api/sellers/{host.HostId}").AssertProblemAsync(HttpStatusCode.Unauthorized, ErrorCodes.Unauthenticated);
        foreach (var caller in new[] { viewer, moderator, otherHost, host.Host })
        {
            await caller.PutAsync(path, null).AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
            await caller.DeleteAsync(path).AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        }

        await otherHost.GetAsync($"/api/sellers/{host.HostId}").AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await viewer.GetAsync($"/api/sellers/{host.HostId}").AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await host.Operator.PutAsync($"/api/sellers/{host.HostId}/brands/%20", null).AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidArgument);
        await host.Operator.GetAsync($"/api/sellers/{new string('h', 257)}").AssertProblemAsync(HttpStatusCode.BadRequest, ErrorCodes.InvalidArgument);

        Assert.Empty((await host.Operator.GetAsync($"/api/sellers/{host.HostId}").ReadAsync<Seller>()).Brands);
        Assert.False((await ProductAsync(product.Id)).Verified);
    }

    [Fact]
    public async Task AHostCannotPinOrSellAnotherHostsProductAndItsStockStays()
    {
        var owner = new HostScenario(Server, $"host-{Id()}");
        var product = await owner.CreateProductAsync(stock: 300);
        var thief = new HostScenario(Server, $"host-{Id()}");
        var room = await thief.CreateRoomAsync();

        await thief.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id })
            .AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);
        await thief.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/flash-sales", new { productId = product.Id, price = 0.01m, quantity = 300, perUserLimit = 300, durationSeconds = 60 })
            .AssertProblemAsync(HttpStatusCode.Forbidden, ErrorCodes.Forbidden);

        Assert.Equal(300, (await ProductAsync(product.Id)).Stock);
        var snapshot = await Server.Http.GetAsync($"/api/rooms/{room.Id}").ReadAsync<RoomSnapshot>();
        Assert.Null(snapshot.PinnedProduct);
        Assert.Empty(snapshot.ActiveSales);

        // The owner still sells it, from its own room.
        var ownRoom = await owner.CreateRoomAsync();
        var sale = await owner.StartSaleAsync(ownRoom.Id, product.Id, quantity: 10);
        Assert.Equal(SaleStatus.Active, sale.Status);
        Assert.Equal(290, (await ProductAsync(product.Id)).Stock);
    }

    [Fact]
    public async Task UnknownIdsAskedOverRestAndTheHubKeepNoActivations()
    {
        var grains = Server.Services.GetRequiredService<IGrainFactory>();
        var rooms = Enumerable.Range(0, 100).Select(_ => Ids.New("room")).ToArray();
        foreach (var roomId in rooms)
        {
            await Server.Http.GetAsync($"/api/rooms/{roomId}").AssertProblemAsync(HttpStatusCode.NotFound, ErrorCodes.NotFound);
        }

        // Six shoppers of ten calls each: one shopper's sixty calls would cross AddToCart's rate limit (burst 10).
        var products = Enumerable.Range(0, 60).Select(_ => Ids.New("prod")).ToArray();
        var shoppers = Enumerable.Range(0, 6).Select(_ => $"shopper-{Id()}").ToArray();
        foreach (var (shopper, theirs) in shoppers.Zip(products.Chunk(10)))
        {
            await using var connection = await Server.ConnectAsync(Server.Token(shopper));
            foreach (var productId in theirs)
            {
                var refused = await Assert.ThrowsAsync<HubException>(() => connection.InvokeAsync<Cart>(nameof(LiveHub.AddToCart), productId, 1, null));
                Assert.Equal(ErrorCodes.NotFound, ProtocolError.Code(refused));
            }
        }

        var sellers = Enumerable.Range(0, 20).Select(_ => $"host-{Id()}").ToArray();
        var operatorClient = Server.Client(Server.Token($"ops-{Id()}", Roles.Operator));
        foreach (var hostId in sellers)
        {
            Assert.Empty((await operatorClient.GetAsync($"/api/sellers/{hostId}").ReadAsync<Seller>()).Brands);
            Assert.Empty((await operatorClient.DeleteAsync($"/api/sellers/{hostId}/brands/Anta").ReadAsync<Seller>()).Brands);
        }

        await GrainActivations.WaitUntilNoneActiveAsync(grains, [.. rooms, .. products, .. sellers], "grains asked about unknown ids");
        foreach (var shopper in shoppers)
        {
            Assert.Empty((await Server.Client(Server.Token(shopper)).GetAsync("/api/cart").ReadAsync<Cart>()).Items);
        }
    }
}
