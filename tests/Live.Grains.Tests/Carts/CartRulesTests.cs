using Live.Contracts;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Grains.Carts;

namespace Live.Grains.Tests.Carts;

public sealed class CartRulesTests
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    private static readonly Product Balm = Product("prod_balm", 129m, "CNY");
    private static readonly Product Tea = Product("prod_tea", 30m, "CNY");
    private static readonly Product Scarf = Product("prod_scarf", 199.99m, "EUR");

    [Fact]
    public void ProductsOfOneCurrencyShareTheCartAndItsTotal()
    {
        var items = new List<CartItem>();
        CartRules.Add(items, Balm, 2, "room_1");
        CartRules.Add(items, Tea, 1, null);

        Assert.Equal("CNY", CartRules.CurrencyOf(items));
        Assert.Equal(288m, CartRules.Total(items));
        Assert.All(items, i => Assert.Equal("CNY", i.Currency));
    }

    [Fact]
    public void ACompletedCheckoutTakesOutWhatItBoughtAndLeavesUnitsAddedSince()
    {
        var items = new List<CartItem>();
        CartRules.Add(items, Balm, 2, "room_1");
        CartRules.Add(items, Tea, 1, null);
        var bought = items.ToArray();

        // While the checkout waited to be resumed, the buyer added more balm.
        CartRules.Add(items, Balm, 3, null);
        CartRules.TakeCheckedOut(items, bought);

        var left = Assert.Single(items);
        Assert.Equal((Balm.Id, 3), (left.ProductId, left.Quantity));
        CartRules.TakeCheckedOut(items, [left]);
        Assert.Empty(items);
    }

    [Fact]
    public void AProductInAnotherCurrencyIsAConflictAndChangesNothing()
    {
        var items = new List<CartItem>();
        CartRules.Add(items, Balm, 2, "room_1");
        var before = items.ToArray();

        var error = Assert.Throws<LiveException>(() => CartRules.Add(items, Scarf, 1, null));

        Assert.Equal(ErrorCodes.Conflict, error.Code);
        Assert.Equal("the cart holds products priced in CNY; check it out before adding one priced in EUR", error.Message);
        Assert.Equal(before, items);
    }

    [Fact]
    public void AnEmptiedCartTakesAnyCurrency()
    {
        var items = new List<CartItem>();
        CartRules.Add(items, Balm, 1, null);
        items.Clear();

        Assert.Null(CartRules.CurrencyOf(items));
        CartRules.Add(items, Scarf, 1, null);
        Assert.Equal("EUR", CartRules.CurrencyOf(items));
    }

    [Fact]
    public void AProductWhosePriceChangedCurrencyReplacesItsOnlyItem()
    {
        var items = new List<CartItem>();
        CartRules.Add(items, Balm, 1, "room_1");

        CartRules.Add(items, Balm with { Currency = "EUR", Price = 15m }, 1, null);

        var item = Assert.Single(items);
        Assert.Equal(("EUR", 2, 15m, "room_1"), (item.Currency, item.Quantity, item.Price, item.RoomId));
    }

    [Fact]
    public void ItemsStoredWithoutACurrencyDoNotDecideTheCartsCurrency()
    {
        var items = new List<CartItem> { new() { ProductId = "prod_old", Quantity = 1, Price = 10m } };

        CartRules.Add(items, Scarf, 1, null);

        Assert.Equal("EUR", CartRules.CurrencyOf(items));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(100)]
    public void QuantitiesOutsideOneTo99AreInvalid(int quantity)
    {
        var error = Assert.Throws<LiveException>(() => CartRules.CheckAdd("prod_balm", quantity, null, "add_1"));
        Assert.Equal(ErrorCodes.InvalidArgument, error.Code);
    }

    [Fact]
    public void AnAddIdIsKeptForItsWindowAndAtMostTheCapOfThemTheOldestGoingFirst()
    {
        var state = new CartState();
        var start = new DateTimeOffset(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);

        CartRules.RememberAdd(state, "add_first", start, Window);
        Assert.True(CartRules.IsRepeatedAdd(state, "add_first"));
        Assert.False(CartRules.IsRepeatedAdd(state, "add_other"));

        // Still kept just inside its window, gone once a later add finds it past.
        CartRules.RememberAdd(state, "add_second", start + Window - TimeSpan.FromSeconds(1), Window);
        Assert.True(CartRules.IsRepeatedAdd(state, "add_first"));
        CartRules.RememberAdd(state, "add_third", start + Window, Window);
        Assert.False(CartRules.IsRepeatedAdd(state, "add_first"));

        // A user adding fast keeps only the newest MaxAddIds.
        var later = start + Window;
        for (var i = 0; i < CartRules.MaxAddIds + 5; i++)
        {
            CartRules.RememberAdd(state, $"add_fast_{i}", later + TimeSpan.FromMilliseconds(i + 1), Window);
        }

        Assert.Equal(CartRules.MaxAddIds, state.AddedAt.Count);
        Assert.False(CartRules.IsRepeatedAdd(state, "add_fast_4"));
        Assert.True(CartRules.IsRepeatedAdd(state, "add_fast_5"));
        Assert.True(CartRules.IsRepeatedAdd(state, $"add_fast_{CartRules.MaxAddIds + 4}"));
    }

    [Fact]
    public void MoreThan99UnitsOfOneProductAreInvalidAndChangeNothing()
    {
        var items = new List<CartItem>();
        CartRules.Add(items, Balm, 60, null);

        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<LiveException>(() => CartRules.Add(items, Balm, 40, null)).Code);
        Assert.Equal(60, Assert.Single(items).Quantity);
    }

    [Fact]
    public void AFullCartRefusesANewProductButTakesMoreOfOneItHolds()
    {
        var items = Enumerable.Range(0, CartRules.MaxItems).Select(i => new CartItem
        {
            ProductId = $"prod_{i}",
            Quantity = 1,
            Price = 1m,
            Currency = "CNY",
        }).ToList();

        Assert.Equal(ErrorCodes.Conflict, Assert.Throws<LiveException>(() => CartRules.Add(items, Balm, 1, null)).Code);
        CartRules.Add(items, Product("prod_0", 1m, "CNY"), 1, null);
        Assert.Equal(2, items[0].Quantity);
    }

    private static Product Product(string id, decimal price, string currency) => new()
    {
        Id = id,
        Name = id,
        Brand = "Acme",
        Price = price,
        Currency = currency,
    };

    [Fact]
    public void CheckoutKeysOlderThanTheWindowAreDroppedButNeverAPendingOne()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var window = TimeSpan.FromHours(24);
        var state = new CartState
        {
            Checkouts = { ["old"] = "ord_old", ["recent"] = "ord_recent", ["retrying"] = "ord_retrying" },
            CheckedOutAt = { ["old"] = now.AddHours(-25), ["recent"] = now.AddHours(-23), ["retrying"] = now.AddHours(-30) },
            Pending = new PendingCheckout { IdempotencyKey = "retrying", OrderId = "ord_retrying", Items = [] },
        };

        Assert.Equal(1, CartRules.CompactCheckouts(state, window, now));

        Assert.Equal(["recent", "retrying"], state.Checkouts.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["recent", "retrying"], state.CheckedOutAt.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CheckoutKeysOverTheBoundAreDroppedOldestFirstButNeverAPendingOne()
    {
        var now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        var state = new CartState
        {
            Pending = new PendingCheckout { IdempotencyKey = "k0", OrderId = "ord_k0", Items = [] },
        };

        // Within the window, one a second: k0 (pending, and the oldest) to k{max + 10}.
        for (var i = 0; i <= CartRules.MaxCheckoutKeys + 10; i++)
        {
            state.Checkouts[$"k{i}"] = $"ord_k{i}";
            state.CheckedOutAt[$"k{i}"] = now.AddSeconds(i - 1000);
        }

        Assert.Equal(11, CartRules.CompactCheckouts(state, TimeSpan.FromHours(24), now));

        Assert.Equal(CartRules.MaxCheckoutKeys, state.Checkouts.Count);
        Assert.Equal(state.Checkouts.Keys.Order(StringComparer.Ordinal), state.CheckedOutAt.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("k0", state.Checkouts.Keys);
        Assert.DoesNotContain("k1", state.Checkouts.Keys);
        Assert.DoesNotContain("k11", state.Checkouts.Keys);
        Assert.Contains("k12", state.Checkouts.Keys);
        Assert.Contains($"k{CartRules.MaxCheckoutKeys + 10}", state.Checkouts.Keys);
    }
}
