using Live.Contracts;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Contracts.Orders;
using Live.Grains.Tests.Infrastructure;

namespace Live.Grains.Tests.Carts;

[Collection(ClusterCollection.Name)]
public sealed class CartGrainTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    private (ICartGrain Cart, IOrderBookGrain Orders, string UserId) NewShopper()
    {
        var userId = Ids.New("user");
        return (Grains.GetGrain<ICartGrain>(userId), Grains.GetGrain<IOrderBookGrain>(userId), userId);
    }

    [Fact]
    public async Task AddingAProductAgainMergesTheQuantities()
    {
        var scarf = await Grains.CreateProductAsync(price: 20.5m);
        var hat = await Grains.CreateProductAsync(price: 3m);
        var (cart, _, userId) = NewShopper();

        await cart.AddItemAsync(scarf.Id, 2, "room-1");
        await cart.AddItemAsync(hat.Id, 1, null);
        var merged = await cart.AddItemAsync(scarf.Id, 3, null);

        Assert.Equal(userId, merged.UserId);
        Assert.Equal(
            new[]
            {
                new CartItem { ProductId = scarf.Id, Quantity = 5, Price = 20.5m, RoomId = "room-1", Currency = "CNY" },
                new CartItem { ProductId = hat.Id, Quantity = 1, Price = 3m, Currency = "CNY" },
            },
            merged.Items);
        Assert.Equal(105.5m, merged.Total);
        Assert.Equal("CNY", merged.Currency);
        Assert.Equivalent(merged, await cart.GetAsync(), strict: true);
    }

    [Fact]
    public async Task ACartLineHoldsOneTo99Units()
    {
        var product = await Grains.CreateProductAsync(price: 1m);
        var (cart, _, _) = NewShopper();

        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => cart.AddItemAsync(product.Id, 0, null));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => cart.AddItemAsync(product.Id, -1, null));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => cart.AddItemAsync(product.Id, 100, null));
        Assert.Equal(98, Assert.Single((await cart.AddItemAsync(product.Id, 98, null)).Items).Quantity);
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => cart.AddItemAsync(product.Id, 2, null));
        Assert.Equal(99, Assert.Single((await cart.AddItemAsync(product.Id, 1, null)).Items).Quantity);
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => cart.AddItemAsync(product.Id, 1, null));

        var final = await cart.GetAsync();
        Assert.Equal(99, Assert.Single(final.Items).Quantity);
        Assert.Equal(99m, final.Total);
    }

    [Fact]
    public async Task AnUnknownProductCannotBeAdded()
    {
        var (cart, _, _) = NewShopper();

        await Scenario.RefusedAsync(ErrorCodes.NotFound, () => cart.AddItemAsync(Ids.New("prod"), 1, null));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => cart.AddItemAsync("", 1, null));
        Assert.Empty((await cart.GetAsync()).Items);
    }

    [Fact]
    public async Task RemovingAProductDropsItsLine()
    {
        var scarf = await Grains.CreateProductAsync(price: 10m);
        var hat = await Grains.CreateProductAsync(price: 5m);
        var (cart, _, _) = NewShopper();
        await cart.AddItemAsync(scarf.Id, 2, null);
        await cart.AddItemAsync(hat.Id, 1, null);

        var removed = await cart.RemoveItemAsync(scarf.Id);
        Assert.Equal(hat.Id, Assert.Single(removed.Items).ProductId);
        Assert.Equal(5m, removed.Total);

        var again = await cart.RemoveItemAsync(scarf.Id);
        Assert.Equal(hat.Id, Assert.Single(again.Items).ProductId);
        Assert.Empty((await cart.RemoveItemAsync(hat.Id)).Items);
        Assert.Equal(0m, (await cart.GetAsync()).Total);
    }

    [Fact]
    public async Task CheckoutIsIdempotentByKey()
    {
        var scarf = await Grains.CreateProductAsync(stock: 10, price: 20m);
        var hat = await Grains.CreateProductAsync(stock: 5, price: 7.25m);
        var (cart, orders, userId) = NewShopper();
        await cart.AddItemAsync(scarf.Id, 3, "room-1");
        await cart.AddItemAsync(hat.Id, 2, null);

        var first = await cart.CheckoutAsync("checkout-1");
        var again = await cart.CheckoutAsync("checkout-1");

        Assert.True(first.IsNew);
        Assert.False(again.IsNew);
        Assert.Equivalent(first.Order, again.Order, strict: true);
        Assert.Equal(userId, first.Order.UserId);
        Assert.Equal(OrderStatus.Confirmed, first.Order.Status);
        Assert.Null(first.Order.SaleId);
        Assert.Equal(74.5m, first.Order.Total);
        Assert.Equal(fixture.Clock.GetUtcNow(), first.Order.CreatedAt);
        Assert.Equal(
            new[]
            {
                new OrderItem { ProductId = scarf.Id, Quantity = 3, Price = 20m },
                new OrderItem { ProductId = hat.Id, Quantity = 2, Price = 7.25m },
            },
            first.Order.Items);

        // Stock taken once, the cart emptied, one order recorded.
        Assert.Equal(7, await Grains.StockOfAsync(scarf.Id));
        Assert.Equal(3, await Grains.StockOfAsync(hat.Id));
        Assert.Empty((await cart.GetAsync()).Items);
        Assert.Equivalent(first.Order, Assert.Single(await orders.ListAsync()), strict: true);
        Assert.Equivalent(first.Order, await orders.FindAsync(first.Order.Id), strict: true);

        // The key answers the same order even once the cart holds other things.
        await cart.AddItemAsync(scarf.Id, 1, null);
        Assert.Equal(first.Order.Id, (await cart.CheckoutAsync("checkout-1")).Order.Id);
        Assert.Equal(7, await Grains.StockOfAsync(scarf.Id));
        Assert.Single(await orders.ListAsync());
    }

    [Fact]
    public async Task ACompletedCheckoutsReservationLeavesTheProductWithItsNextWrite()
    {
        var scarf = await Grains.CreateProductAsync(stock: 10, price: 20m);
        var product = Grains.GetGrain<IProductGrain>(scarf.Id);
        var (cart, _, _) = NewShopper();
        await cart.AddItemAsync(scarf.Id, 3, null);
        var first = await cart.CheckoutAsync("checkout-1");

        // The cart answers the checkout's retries from its own record now, so the product need not keep the
        // reservation for the idempotency window: it goes with the product's next write (here another order's). The
        // cart's settle is one-way and comes from the cart, not from this test, so its order against the test's own
        // calls is not promised: wait until the product has taken it in. The sign that the reservation went: its id is
        // new to the product again, and takes stock as a new one would. Nothing sends it again for real: the cart
        // answers a retry of checkout-1 from its own record.
        await fixture.Calls.WaitForAsync(scarf.Id, nameof(IProductGrain.SettleAsync), first.Order.Id, 1, "the cart's settle");
        Assert.Equal(7, (await product.GetAsync()).Stock);
        Assert.True(await product.TryReserveAsync("ord_other", 1));
        Assert.True(await product.TryReserveAsync(first.Order.Id, 3));
        Assert.Equal(3, await Grains.StockOfAsync(scarf.Id));
    }

    [Fact]
    public async Task CheckingOutAnEmptyCartIsAConflict()
    {
        var (cart, orders, _) = NewShopper();

        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => cart.CheckoutAsync("checkout-1"));
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => cart.CheckoutAsync(""));
        Assert.Empty(await orders.ListAsync());
    }

    [Fact]
    public async Task CheckoutWithoutEnoughStockIsAConflictAndTakesNothing()
    {
        var plenty = await Grains.CreateProductAsync(stock: 10, price: 1m);
        var scarce = await Grains.CreateProductAsync(stock: 2, price: 1m);
        var (cart, orders, _) = NewShopper();
        await cart.AddItemAsync(plenty.Id, 4, null);
        await cart.AddItemAsync(scarce.Id, 3, null);

        await Scenario.RefusedAsync(ErrorCodes.Conflict, () => cart.CheckoutAsync("checkout-1"));

        Assert.Equal(10, await Grains.StockOfAsync(plenty.Id));
        Assert.Equal(2, await Grains.StockOfAsync(scarce.Id));
        Assert.Equal(2, (await cart.GetAsync()).Items.Count);
        Assert.Empty(await orders.ListAsync());

        // Once the cart fits the stock, the same key goes through, taking stock once.
        await cart.RemoveItemAsync(scarce.Id);
        await cart.AddItemAsync(scarce.Id, 2, null);
        var outcome = await cart.CheckoutAsync("checkout-1");
        Assert.True(outcome.IsNew);
        Assert.Equal(6, await Grains.StockOfAsync(plenty.Id));
        Assert.Equal(0, await Grains.StockOfAsync(scarce.Id));
        Assert.Equal(outcome.Order.Id, Assert.Single(await orders.ListAsync()).Id);
    }

    [Fact]
    public async Task OrdersAreListedNewestFirst()
    {
        var product = await Grains.CreateProductAsync(stock: 10, price: 2m);
        var (cart, orders, _) = NewShopper();
        List<Order> placed = [];
        for (var i = 1; i <= 3; i++)
        {
            await cart.AddItemAsync(product.Id, i, null);
            placed.Add((await cart.CheckoutAsync($"checkout-{i}")).Order);
            fixture.Advance(TimeSpan.FromSeconds(1));
        }

        var listed = await orders.ListAsync();
        Assert.Equal(placed.Select(o => o.Id).Reverse(), listed.Select(o => o.Id));
        Assert.Equal(placed.Select(o => o.CreatedAt).Reverse(), listed.Select(o => o.CreatedAt));
        Assert.Equal(4, await Grains.StockOfAsync(product.Id));
    }
}
