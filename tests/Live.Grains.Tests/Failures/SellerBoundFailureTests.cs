using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.Sellers;
using Live.Grains.Tests.Infrastructure;

namespace Live.Grains.Tests.Failures;

/// <summary>
/// A seller records a product before the product's own write: a creation whose write failed must not keep a place of
/// <c>Sellers:MaxProducts</c> for ever, and a creation whose write is still under way must keep its place.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class SellerBoundFailureTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    private static NewProduct Scarf => new() { Name = "Silk scarf", Brand = "Acme", Price = 19.99m, Stock = 5 };

    /// <summary>A new seller with <paramref name="count"/> products.</summary>
    private async Task<string> SellerWithAsync(int count)
    {
        var seller = Ids.New("host");
        for (var i = 0; i < count; i++)
        {
            await Grains.CreateProductAsync(owner: seller);
        }

        return seller;
    }

    [Fact]
    public async Task AFullSellerForgetsAProductWhoseCreationWasNeverWrittenAndTakesANewOne()
    {
        var seller = await SellerWithAsync(ClusterFixture.MaxProducts - 1);
        await FailedCreationAsync(seller);

        // The seller holds MaxProducts ids, one of them no product. Its first no is not enough (a write that timed out
        // may still land): refused; a look a minute later finds it still missing, and the next creation takes its place.
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => Grains.CreateProductAsync(owner: seller));
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        var next = await Grains.CreateProductAsync(owner: seller);
        Assert.Equal(next.Id, (await Grains.GetGrain<IProductGrain>(next.Id).GetAsync()).Id);

        // Now every recorded id is a product: the seller is full for real.
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => Grains.CreateProductAsync(owner: seller));

        // The forgotten id is no longer the seller's: a licence no longer tries to reach it, and the seller's record
        // survives a reactivation without it (it was written).
        await fixture.Cluster.DeactivateAsync(Grains.GetGrain<ISellerGrain>(seller));
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => Grains.CreateProductAsync(owner: seller));
    }

    [Fact]
    public async Task AFullSellerKeepsAProductWhoseWriteIsStillUnderWay()
    {
        var seller = await SellerWithAsync(ClusterFixture.MaxProducts - 1);
        var pending = Ids.New("prod");
        var held = fixture.Faults.HoldNext(StateNames.Product, pending);
        var creating = Grains.GetGrain<IProductGrain>(pending).CreateAsync(seller, Scarf);
        await held.WhenHitAsync("the product's write");

        // The held write may still land: the seller, full, asks and keeps it, so the next creation is refused.
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => Grains.CreateProductAsync(owner: seller));

        held.Release(store: true);
        Assert.Equal(pending, (await creating).Id);
        Assert.Equal(pending, (await Grains.GetGrain<IProductGrain>(pending).GetAsync()).Id);
    }

    [Fact]
    public async Task AFullSellerLooksForProductsNeverCreatedAtMostOncePerInterval()
    {
        var seller = await SellerWithAsync(ClusterFixture.MaxProducts - 2);
        await FailedCreationAsync(seller);
        await FailedCreationAsync(seller);

        // Full, two ids no product: the first look notes them, the next (a minute later) frees both; one place is
        // taken and one left, which the next failed creation fills.
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => Grains.CreateProductAsync(owner: seller));
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await Grains.CreateProductAsync(owner: seller);
        await FailedCreationAsync(seller);

        // Within the interval the full seller does not ask every product again: refused, though one id is no product.
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => Grains.CreateProductAsync(owner: seller));

        // Past it, it looks again and notes that id; one more interval, and the creation takes its place.
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => Grains.CreateProductAsync(owner: seller));
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await Grains.CreateProductAsync(owner: seller);
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => Grains.CreateProductAsync(owner: seller));
    }

    [Fact]
    public async Task AFullSellerKeepsAProductWhoseTimedOutWriteLandsAfterItAnsweredNoAndItsLicenceStillReachesIt()
    {
        var seller = await SellerWithAsync(ClusterFixture.MaxProducts - 1);
        var late = Ids.New("prod");
        var landing = fixture.Faults.TimeOutAndLandLater(StateNames.Product, late);
        await Reloads.FailsOnStorageAsync(() => Grains.GetGrain<IProductGrain>(late).CreateAsync(seller, Scarf));

        // Full: the look asks the product, which has nothing stored yet and answers no. Not forgotten on one answer.
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => Grains.CreateProductAsync(owner: seller));

        // The timed-out write lands: the product exists after all, and the next look (a minute later) finds it.
        landing.Release(store: true);
        await landing.WhenLandedAsync();
        Assert.Equal(late, (await Grains.GetGrain<IProductGrain>(late).GetAsync()).Id);
        fixture.Clock.Advance(TimeSpan.FromMinutes(1));
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => Grains.CreateProductAsync(owner: seller));

        // Still the seller's: a licence of its brand reaches its badge (a forgotten one would keep its old badge).
        await Grains.GetGrain<ISellerGrain>(seller).LicenseAsync("Acme");
        Assert.True((await Grains.GetGrain<IProductGrain>(late).GetAsync()).Verified);
    }

    /// <summary>A creation for <paramref name="seller"/> whose write fails: the seller recorded an id that is no product.</summary>
    private async Task FailedCreationAsync(string seller)
    {
        var id = Ids.New("prod");
        fixture.Faults.FailNext(StateNames.Product, id);
        await Reloads.FailsOnStorageAsync(() => Grains.GetGrain<IProductGrain>(id).CreateAsync(seller, Scarf));
    }
}
