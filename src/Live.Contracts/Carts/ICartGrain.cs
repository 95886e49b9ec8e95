namespace Live.Contracts.Carts;

/// <summary>One user's cart, keyed by user id; checkout turns it into an order, once per idempotency key.</summary>
[Alias("live.ICartGrain")]
public interface ICartGrain : IGrainWithStringKey
{
    [Alias("Get"), ReadOnly]
    Task<Cart> GetAsync();

    /// <summary>Adds <paramref name="quantity"/> units (to any already in the cart) at the product's price.</summary>
    [Alias("AddItem")]
    Task<Cart> AddItemAsync(string productId, int quantity, string? roomId);

    /// <summary>
    /// Removes the product from the cart; removing what is not there changes nothing, so the same call sent again (a
    /// retry across a silo's loss) is safe.
    /// </summary>
    [Alias("RemoveItem"), RetrySafe]
    Task<Cart> RemoveItemAsync(string productId);

    /// <summary>
    /// Takes the items' stock, records the order and empties the cart. The same key always answers the same order.
    /// </summary>
    [Alias("Checkout"), RetrySafe]
    Task<CheckoutOutcome> CheckoutAsync(string idempotencyKey);
}
