using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Grains.Tests.Infrastructure;

namespace Live.Grains.Tests.Catalog;

[Collection(ClusterCollection.Name)]
public sealed class ProductGrainTests(ClusterFixture fixture)
{
    private static readonly NewProduct Valid = new()
    {
        Name = "Silk scarf",
        Brand = "Acme",
        Price = 129.5m,
        Currency = "EUR",
        ImageUrl = "https://img.example/scarf.jpg",
        Tags = ["silk", "spring", "silk"],
        Stock = 12,
    };

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task ACreatedProductReadsBackAsCreated()
    {
        var id = Ids.New("prod");
        var grain = Grains.GetGrain<IProductGrain>(id);

        var created = await grain.CreateAsync("host", Valid with { Name = "  Silk scarf  " });

        Assert.Equal(id, created.Id);
        Assert.Equal("Silk scarf", created.Name);
        Assert.Equal("Acme", created.Brand);
        Assert.Equal(129.5m, created.Price);
        Assert.Equal("EUR", created.Currency);
        Assert.Equal("https://img.example/scarf.jpg", created.ImageUrl);
        Assert.Equal(new[] { "silk", "spring" }, created.Tags);
        Assert.False(created.Verified);
        Assert.Equal(12, created.Stock);
        Assert.Equivalent(created, await grain.GetAsync(), strict: true);

        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => grain.CreateAsync("host", Valid with { Name = "Wool scarf" }));
        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => grain.CreateAsync("other-host", Valid));
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => Grains.GetGrain<IProductGrain>(Ids.New("prod")).GetAsync());
    }

    [Fact]
    public async Task TheSameCreationSentAgainAnswersTheProductAndChangesNothing()
    {
        // What a hub server's retry after a silo's loss looks like: same (server-chosen) id, same owner, same body.
        var grain = Grains.GetGrain<IProductGrain>(Ids.New("prod"));
        var created = await grain.CreateAsync("host", Valid);
        Assert.True(await grain.TryReserveAsync(Ids.New("ord"), 2));

        var again = await grain.CreateAsync("host", Valid with { Name = " Silk scarf" });

        Assert.Equivalent(created with { Stock = 10 }, again, strict: true);
        Assert.Equivalent(again, await grain.GetAsync(), strict: true);
    }

    [Fact]
    public async Task APriceIsPositiveWithAtMostTwoDecimals()
    {
        foreach (var price in new[] { 0m, -1m, 0.001m, 19.999m, 10_000_000.01m })
        {
            var error = await Record.ExceptionAsync(() => Grains.GetGrain<IProductGrain>(Ids.New("prod")).CreateAsync("host", Valid with { Price = price }));
            Assert.True(error is LiveException { Code: ErrorCodes.InvalidArgument }, $"price {price}: expected {ErrorCodes.InvalidArgument}, got {error?.ToString() ?? "no error"}");
        }

        foreach (var price in new[] { 0.01m, 19.9m, 19.99m, 19.990m, 10_000_000m })
        {
            Assert.Equal(price, (await Grains.GetGrain<IProductGrain>(Ids.New("prod")).CreateAsync("host", Valid with { Price = price })).Price);
        }
    }

    [Fact]
    public async Task TheCurrencyIsAnIsoCodeAndDefaultsToCny()
    {
        foreach (var currency in new[] { "cny", "Cny", "CN", "CNYY", "C1Y", "€" })
        {
            var error = await Record.ExceptionAsync(() => Grains.GetGrain<IProductGrain>(Ids.New("prod")).CreateAsync("host", Valid with { Currency = currency }));
            Assert.True(error is LiveException { Code: ErrorCodes.InvalidArgument }, $"currency {currency}: expected {ErrorCodes.InvalidArgument}, got {error?.ToString() ?? "no error"}");
        }

        Assert.Equal("USD", (await Grains.GetGrain<IProductGrain>(Ids.New("prod")).CreateAsync("host", Valid with { Currency = "USD" })).Currency);
        Assert.Equal("CNY", (await Grains.GetGrain<IProductGrain>(Ids.New("prod")).CreateAsync("host", Valid with { Currency = null })).Currency);
        Assert.Equal("CNY", (await Grains.GetGrain<IProductGrain>(Ids.New("prod")).CreateAsync("host", Valid with { Currency = "" })).Currency);
    }

    [Fact]
    public async Task OtherInvalidProductsAreRefused()
    {
        var invalid = new (string Case, NewProduct Product)[]
        {
            ("no name", Valid with { Name = "  " }),
            ("no brand", Valid with { Brand = null }),
            ("relative image url", Valid with { ImageUrl = "/img/scarf.jpg" }),
            ("non-http image url", Valid with { ImageUrl = "javascript:alert(1)" }),
            ("negative stock", Valid with { Stock = -1 }),
            ("21 tags", Valid with { Tags = [.. Enumerable.Range(0, 21).Select(i => $"tag{i}")] }),
        };

        foreach (var (name, product) in invalid)
        {
            var error = await Record.ExceptionAsync(() => Grains.GetGrain<IProductGrain>(Ids.New("prod")).CreateAsync("host", product));
            Assert.True(error is LiveException { Code: ErrorCodes.InvalidArgument }, $"{name}: expected {ErrorCodes.InvalidArgument}, got {error?.ToString() ?? "no error"}");
        }
    }

    [Fact]
    public async Task AProductShowsItsOwner()
    {
        var created = await Grains.GetGrain<IProductGrain>(Ids.New("prod")).CreateAsync("host-owner", Valid);

        Assert.Equal("host-owner", created.OwnerId);
        Assert.Equal("host-owner", (await Grains.GetGrain<IProductGrain>(created.Id).GetAsync()).OwnerId);
    }

    [Fact]
    public async Task OnlyTheOwnerReservesStockForASale()
    {
        var product = await Grains.CreateProductAsync(owner: "host-seller", stock: 10);
        var grain = Grains.GetGrain<IProductGrain>(product.Id);

        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => grain.TryReserveForSaleAsync("host-other", "sale_1", 10));
        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => grain.OfferAsync("host-other", isOperator: false, pinnedInRoomId: null));
        Assert.Equal(10, await Grains.StockOfAsync(product.Id));

        Assert.Equal(product.Id, (await grain.OfferAsync("ops", isOperator: true, pinnedInRoomId: null)).Id);
        Assert.True(await grain.TryReserveForSaleAsync("host-seller", "sale_1", 4));
        Assert.Equal(6, await Grains.StockOfAsync(product.Id));
    }

    [Fact]
    public async Task ReservingAndReleasingAreIdempotent()
    {
        var product = await Grains.CreateProductAsync(stock: 10);
        var grain = Grains.GetGrain<IProductGrain>(product.Id);

        Assert.True(await grain.TryReserveAsync("order-1", 4));
        Assert.Equal(6, await Grains.StockOfAsync(product.Id));
        Assert.True(await grain.TryReserveAsync("order-1", 4));
        Assert.Equal(6, await Grains.StockOfAsync(product.Id));

        Assert.False(await grain.TryReserveAsync("order-2", 7));
        Assert.Equal(6, await Grains.StockOfAsync(product.Id));
        Assert.True(await grain.TryReserveAsync("order-3", 6));
        Assert.Equal(0, await Grains.StockOfAsync(product.Id));

        await grain.ReleaseAsync("order-1", 4);
        Assert.Equal(4, await Grains.StockOfAsync(product.Id));
        await grain.ReleaseAsync("order-1", 4);
        Assert.Equal(4, await Grains.StockOfAsync(product.Id));

        // A release gives back at most what the reservation took, and an unknown reservation gives nothing.
        await grain.ReleaseAsync("order-3", 100);
        Assert.Equal(10, await Grains.StockOfAsync(product.Id));
        await grain.ReleaseAsync("never-reserved", 5);
        Assert.Equal(10, await Grains.StockOfAsync(product.Id));

        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => grain.TryReserveAsync("order-4", 0));
        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => Grains.GetGrain<IProductGrain>(Ids.New("prod")).TryReserveAsync("order-5", 1));
    }

    /// <remarks>
    /// The cluster's idempotency window is an hour (<see cref="ClusterFixture"/>). What the product still holds of a
    /// reservation shows in its release: a held one gives its units back once, a compacted one gives nothing.
    /// </remarks>
    [Fact]
    public async Task TheProductsNextWriteAfterTheWindowCompactsAnOrdersReservationButKeepsASalesUnreleasedOne()
    {
        var product = await Grains.CreateProductAsync(owner: "host-seller", stock: 10);
        var grain = Grains.GetGrain<IProductGrain>(product.Id);
        Assert.True(await grain.TryReserveAsync("order-old", 2));
        Assert.True(await grain.TryReserveForSaleAsync("host-seller", "sale-old", 3));
        Assert.Equal(5, await Grains.StockOfAsync(product.Id));

        fixture.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        Assert.True(await grain.TryReserveAsync("order-new", 1));
        Assert.Equal(4, await Grains.StockOfAsync(product.Id));

        // The write of order-new dropped order-old: its late release finds nothing (the units stay sold rather than
        // counted twice). The sale still running keeps its reservation, so its unsold units come back when it ends.
        await grain.ReleaseAsync("order-old", 2);
        Assert.Equal(4, await Grains.StockOfAsync(product.Id));
        await grain.ReleaseAsync("sale-old", 3);
        Assert.Equal(7, await Grains.StockOfAsync(product.Id));
    }

    [Fact]
    public async Task UntrackedStockIsNeverShort()
    {
        var product = await Grains.CreateProductAsync(stock: null);
        var grain = Grains.GetGrain<IProductGrain>(product.Id);

        Assert.True(await grain.TryReserveAsync("order-1", 1_000_000));
        await grain.ReleaseAsync("order-1", 1_000_000);
        Assert.Null(await Grains.StockOfAsync(product.Id));
    }
}
