namespace Live.Contracts.Carts;

/// <summary>One user's cart, keyed by user id; checkout turns it into an order, once per idempotency key.</summary>
[Alias("live.ICartGrain")]
public interface ICartGrain : IGrainWithStringKey
{
    [Alias("Get"), ReadOnly]
    Task<Cart> GetAsync();

    /// <summary>
    /// Adds <paramref name="quantity"/> units (to any already in the cart) at the product's price.
    /// <paramref name="addId"/> is the hub server's, new per call and stored with the cart: the same call sent again
    /// (a retry across a silo's loss) adds nothing more and is answered with the cart.
    /// </summary>
    [Alias("AddItem"), RetrySafe]
    Task<Cart> AddItemAsync(string productId, int quantity, string? roomId, string addId);

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
