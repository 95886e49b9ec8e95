using Live.Grains.Orders;

namespace Live.Grains.Carts;

/// <summary>One user's cart, keyed by user id; checkout turns it into an order, once per idempotency key.</summary>
[Alias("live.ICartGrain")]
public interface ICartGrain : IGrainWithStringKey
{
    [Alias("Get"), ReadOnly]
    Task<Cart> GetAsync();

    /// <summary>Adds <paramref name="quantity"/> units (to any already in the cart) at the product's price.</summary>
    [Alias("AddItem")]
    Task<Cart> AddItemAsync(string productId, int quantity, string? roomId);

    /// <summary>Removes the product from the cart; removing what is not there changes nothing.</summary>
    [Alias("RemoveItem")]
    Task<Cart> RemoveItemAsync(string productId);

    /// <summary>
    /// Takes the items' stock, records the order and empties the cart. The same key always answers the same order.
    /// </summary>
    [Alias("Checkout")]
    Task<CheckoutOutcome> CheckoutAsync(string idempotencyKey);
}

[GenerateSerializer, Immutable, Alias("live.CartItem")]
public sealed record CartItem
{
    [Id(0)] public required string ProductId { get; init; }
    [Id(1)] public required int Quantity { get; init; }
    [Id(2)] public required decimal Price { get; init; }
    [Id(3)] public string? RoomId { get; init; }
}

[GenerateSerializer, Immutable, Alias("live.Cart")]
public sealed record Cart
{
    [Id(0)] public required string UserId { get; init; }
    [Id(1)] public required IReadOnlyList<CartItem> Items { get; init; }
    [Id(2)] public required decimal Total { get; init; }
}

/// <summary>A checkout's order, and whether this call created it (false when the key was seen before).</summary>
[GenerateSerializer, Immutable, Alias("live.CheckoutOutcome")]
public sealed record CheckoutOutcome
{
    [Id(0)] public required Order Order { get; init; }
    [Id(1)] public required bool IsNew { get; init; }
}
