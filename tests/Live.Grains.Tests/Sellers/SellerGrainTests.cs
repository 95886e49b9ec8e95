using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.Notifications;
using Live.Contracts.Sellers;
using Live.Grains.Tests.Infrastructure;

namespace Live.Grains.Tests.Sellers;

[Collection(ClusterCollection.Name)]
public sealed class SellerGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    private async Task<bool> VerifiedAsync(string productId) => (await Grains.GetGrain<IProductGrain>(productId).GetAsync()).Verified;

    [Fact]
    public async Task TheBadgeFollowsTheOwnersLicenceForTheBrandIgnoringCase()
    {
        var seller = Ids.New("host");
        var other = Ids.New("host");
        var scarf = await Grains.CreateProductAsync(owner: seller, brand: "Maison Verte");
        var fan = await Grains.CreateProductAsync(owner: seller, brand: "Kitsune");
        var copy = await Grains.CreateProductAsync(owner: other, brand: "Maison Verte");
        Assert.False(scarf.Verified);

        var licensed = await Grains.GetGrain<ISellerGrain>(seller).LicenseAsync("maison verte");
        Assert.Equal(new Seller { HostId = seller, Brands = ["maison verte"] }.Brands, licensed.Brands);
        Assert.True(await VerifiedAsync(scarf.Id));
        Assert.False(await VerifiedAsync(fan.Id));
        Assert.False(await VerifiedAsync(copy.Id));

        // Products created after the licence get the badge when their brand matches, ignoring case and spaces.
        Assert.True((await Grains.CreateProductAsync(owner: seller, brand: "  MAISON VERTE ")).Verified);
        Assert.False((await Grains.CreateProductAsync(owner: seller, brand: "Maison Vert")).Verified);
        Assert.False((await Grains.CreateProductAsync(owner: other, brand: "Maison Verte")).Verified);

        var revoked = await Grains.GetGrain<ISellerGrain>(seller).RevokeAsync("MAISON verte");
        Assert.Empty(revoked.Brands);
        Assert.False(await VerifiedAsync(scarf.Id));
        Assert.Empty((await Grains.GetGrain<ISellerGrain>(seller).GetAsync()).Brands);
        Assert.False((await Grains.CreateProductAsync(owner: seller, brand: "Maison Verte")).Verified);
    }

    [Fact]
    public async Task ALicenceChangeResendsThePinShownInALiveRoom()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        await Grains.GetGrain<ISellerGrain>(hostId).LicenseAsync("Kitsune");
        var product = await Grains.CreateProductAsync(owner: hostId, brand: "Kitsune");
        Assert.True(product.Verified);
        await room.PinAsync(hostId, product.Id);

        await Grains.GetGrain<ISellerGrain>(hostId).RevokeAsync("kitsune");

        var cleared = await fixture.Events.WaitForAsync<ProductPinnedEvent>(roomId, e => !e.Product.Verified, "ProductPinned without the badge");
        Assert.Equal(product.Id, cleared.Product.Id);
        Assert.False((await room.GetSnapshotAsync()).PinnedProduct!.Verified);

        await Grains.GetGrain<ISellerGrain>(hostId).LicenseAsync("KITSUNE");
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Equal([true, false, true], fixture.Events.EventsOf<ProductPinnedEvent>(roomId).Select(e => e.Product.Verified));
        Assert.True((await room.GetSnapshotAsync()).PinnedProduct!.Verified);

        // Once unpinned, a licence change is not shown in the room any more.
        await room.UnpinAsync(hostId);
        await Grains.GetGrain<ISellerGrain>(hostId).RevokeAsync("Kitsune");
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Equal(3, fixture.Events.EventsOf<ProductPinnedEvent>(roomId).Count);
        Assert.False(await VerifiedAsync(product.Id));
    }

    [Fact]
    public async Task ABadBrandIsRefusedAndChangesNothing()
    {
        var seller = Grains.GetGrain<ISellerGrain>(Ids.New("host"));
        await seller.LicenseAsync("Kitsune");

        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => seller.LicenseAsync("  "));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => seller.RevokeAsync("Kit\u0001sune"));
        Assert.Equal(["Kitsune"], (await seller.GetAsync()).Brands);
    }
}
