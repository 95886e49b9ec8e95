using Live.Contracts;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Live.Grains.Tests.Infrastructure;

namespace Live.Grains.Tests;

/// <summary>
/// <c>GrainFactoryExtensions.GetGrainByKey</c> keeps the types Orleans resolved for an interface's
/// first reference: every later reference must be the one Orleans itself makes, for each interface apart.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class GrainFactoryExtensionsTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public void EveryReferenceByKeyIsTheOneOrleansMakes()
    {
        for (var i = 0; i < 3; i++)
        {
            // Interleaved, so a cache shared between interfaces would hand one interface's types to another.
            Same(Grains.GetGrainByKey<ILiveRoomGrain>(Ids.New("room")), key => Grains.GetGrain<ILiveRoomGrain>(key));
            Same(Grains.GetGrainByKey<IFlashSaleGrain>(Ids.New("sale")), key => Grains.GetGrain<IFlashSaleGrain>(key));
            Same(Grains.GetGrainByKey<IOrderBookGrain>(Ids.New("user")), key => Grains.GetGrain<IOrderBookGrain>(key));
            Same(Grains.GetGrainByKey<IProductGrain>(Ids.New("prod")), key => Grains.GetGrain<IProductGrain>(key));
        }
    }

    [Fact]
    public async Task AReferenceByKeyReachesTheGrain()
    {
        var productId = Ids.New("prod");
        var created = await Grains.GetGrainByKey<IProductGrain>(productId).CreateAsync(Ids.New("host"), new NewProduct
        {
            Name = "Silk scarf",
            Brand = "Acme",
            Price = 199.99m,
            Stock = 10,
        });

        var again = await Grains.GetGrainByKey<IProductGrain>(productId).GetAsync();

        Assert.Equal(created.Id, again.Id);
        Assert.Equal(productId, again.Id);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    public void ABlankKeyIsRefusedBeforeAndAfterTheTypesAreKept(string key)
    {
        Assert.ThrowsAny<ArgumentException>(() => Grains.GetGrainByKey<ICartGrain>(key));
        _ = Grains.GetGrainByKey<ICartGrain>(Ids.New("user"));
        Assert.ThrowsAny<ArgumentException>(() => Grains.GetGrainByKey<ICartGrain>(key));
    }

    private static void Same<TGrain>(TGrain ours, Func<string, TGrain> orleans)
        where TGrain : IGrainWithStringKey
    {
        var reference = Assert.IsAssignableFrom<GrainReference>(ours);
        var expected = Assert.IsAssignableFrom<GrainReference>(orleans(reference.GetPrimaryKeyString()));
        Assert.Equal(expected.GrainId, reference.GrainId);
        Assert.Equal(expected.InterfaceType, reference.InterfaceType);
        Assert.Equal(expected.GetType(), reference.GetType());
    }
}
