using Live.Contracts;
using Live.Grains.Sellers;
using Live.Grains.Tests.Infrastructure;

namespace Live.Grains.Tests.Sellers;

public sealed class SellerRulesTests
{
    private readonly SellerState _state = new();

    private SellerRules Rules(int maxBrands = 100, int maxProducts = 2000) =>
        new(_state, new SellerOptions { MaxBrands = maxBrands, MaxProducts = maxProducts });

    [Fact]
    public void ALicenceIsGrantedOnceWhateverTheCase()
    {
        var rules = Rules();

        Assert.True(rules.License("Maison Verte"));
        Assert.False(rules.License("maison verte"));
        Assert.False(rules.License("MAISON VERTE"));

        Assert.True(rules.IsLicensed("mAiSoN vErTe"));
        Assert.True(rules.IsLicensed("  Maison Verte "));
        Assert.False(rules.IsLicensed("Maison Vert"));
        Assert.False(rules.IsLicensed("Maison Verte Outlet"));
        Assert.Equal(["Maison Verte"], rules.View("host-1").Brands);
        Assert.Equal("host-1", rules.View("host-1").HostId);
    }

    [Fact]
    public void RevokingRemovesTheBrandWhateverTheCaseAndOnlyOnce()
    {
        var rules = Rules();
        rules.License("Kitsune");
        rules.License("Maison Verte");

        Assert.True(rules.Revoke("KITSUNE"));
        Assert.False(rules.Revoke("Kitsune"));
        Assert.False(rules.Revoke("Never Licensed"));
        Assert.Equal(["Maison Verte"], rules.View("host-1").Brands);
    }

    [Fact]
    public void BrandsFollowTheTextRulesOfAProductsBrand()
    {
        Assert.Equal("Kitsune", SellerRules.Brand("  Kitsune "));
        Refusal.Expect(ErrorCodes.InvalidArgument, "brand must be 1 to 100 characters", () => SellerRules.Brand("   "));
        Refusal.Expect(ErrorCodes.InvalidArgument, "brand must be 1 to 100 characters", () => SellerRules.Brand(null));
        Refusal.Expect(ErrorCodes.InvalidArgument, "brand must be 1 to 100 characters", () => SellerRules.Brand(new string('b', 101)));
        Refusal.Expect(ErrorCodes.InvalidArgument, "brand must not contain control characters", () => SellerRules.Brand("Kit\u0000sune"));
    }

    [Fact]
    public void ProductsAreFoundByBrandIgnoringCaseAndRecordedOnce()
    {
        var rules = Rules();

        Assert.True(rules.AddProduct("prod_1", "Maison Verte"));
        Assert.True(rules.AddProduct("prod_2", "maison verte"));
        Assert.True(rules.AddProduct("prod_3", "Kitsune"));
        Assert.False(rules.AddProduct("prod_1", "Maison Verte"));

        Assert.Equal(["prod_1", "prod_2"], rules.ProductsOf("MAISON VERTE"));
        Assert.Equal(["prod_3"], rules.ProductsOf("kitsune"));
        Assert.Empty(rules.ProductsOf("Maison"));

        Assert.True(rules.Forget(["prod_2", "prod_9"]));
        Assert.False(rules.Forget(["prod_9"]));
        Assert.Equal(["prod_1"], rules.ProductsOf("Maison Verte"));
    }

    [Fact]
    public void BrandsAndProductsAreBounded()
    {
        var rules = Rules(maxBrands: 2, maxProducts: 2);
        rules.License("A");
        rules.License("B");
        rules.AddProduct("prod_1", "A");
        Assert.False(rules.IsFullFor("prod_2"));
        rules.AddProduct("prod_2", "A");

        // Full for a new product, not for one already recorded (a creation sent again).
        Assert.True(rules.IsFullFor("prod_3"));
        Assert.False(rules.IsFullFor("prod_1"));
        Assert.Equal(["prod_1", "prod_2"], rules.ProductIds);
        Refusal.Expect(ErrorCodes.Conflict, "a seller is licensed for at most 2 brands", () => rules.License("C"));
        Refusal.Expect(ErrorCodes.Conflict, "a seller has at most 2 products", () => rules.AddProduct("prod_3", "A"));

        // At the bound, what is already there is still answered as before, and nothing was added.
        Assert.False(rules.License("a"));
        Assert.False(rules.AddProduct("prod_1", "A"));
        Assert.Equal(["A", "B"], rules.View("host").Brands);
        Assert.Equal(["prod_1", "prod_2"], rules.ProductsOf("A"));

        // Forgetting an id that never became a product frees its place.
        Assert.True(rules.Forget(["prod_2"]));
        Assert.False(rules.IsFullFor("prod_3"));
        Assert.True(rules.AddProduct("prod_3", "A"));
    }

    [Fact]
    public void ASellerWithNothingIsEmpty()
    {
        var rules = Rules();
        Assert.True(rules.IsEmpty);
        rules.AddProduct("prod_1", "A");
        Assert.False(rules.IsEmpty);
        rules.Forget(["prod_1"]);
        rules.License("A");
        Assert.False(rules.IsEmpty);
        rules.Revoke("A");
        Assert.True(rules.IsEmpty);
    }

    [Fact]
    public void ARecordedProductIsForgottenOnlyOnceItAnsweredNoTwiceTheIntervalApartAndAYesClearsIt()
    {
        var rules = Rules();
        rules.AddProduct("p1", "Acme");
        rules.AddProduct("p2", "Acme");
        var t0 = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var minute = TimeSpan.FromMinutes(1);

        // A first no is not enough (a timed-out write may still land), nor a second one within the interval.
        Assert.Empty(rules.MissingFor(["p1", "p2"], ["p1", "p2"], t0, minute));
        Assert.Empty(rules.MissingFor(["p1", "p2"], ["p1", "p2"], t0 + minute - TimeSpan.FromSeconds(1), minute));

        // p2's write landed: it answers yes and starts again; p1, not asked this time, keeps its first no.
        Assert.Empty(rules.MissingFor(["p2"], [], t0 + minute, minute));
        Assert.Equal(["p1"], rules.MissingFor(["p1", "p2"], ["p1", "p2"], t0 + minute, minute));
        Assert.True(rules.Forget(["p1"]));
        Assert.Equal(["p2"], rules.ProductIds);

        Assert.Empty(rules.MissingFor(["p2"], ["p2"], t0 + minute + minute - TimeSpan.FromSeconds(1), minute));
        Assert.Equal(["p2"], rules.MissingFor(["p2"], ["p2"], t0 + minute + minute, minute));
    }
}
