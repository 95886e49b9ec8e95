using Live.Contracts;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Grains.Idempotency;

namespace Live.Grains.Carts;

/// <summary>
/// What a cart accepts, apart from how it is stored: quantities, its size, and one currency per cart. A cart's
/// total is one amount in the cart's currency; a product priced in another currency is refused (<c>conflict</c>)
/// rather than summed into a total that means nothing. Refusing keeps the v1 shape (<c>total</c> stays one number)
/// where totals per currency would leave v1 clients reading a sum of yuan and dollars.
/// </summary>
internal static class CartRules
{
    public const int MaxQuantity = 99;
    public const int MaxItems = 50;

    /// <summary>
    /// At most this many add ids are kept (the oldest go first), however fast a user adds: within the idempotency
    /// window (<c>Idempotency:Window</c>, 24 hours) an add's key is kept until the cart has taken this many newer ones,
    /// so a cart keeps a few ids, not its history.
    /// </summary>
    public const int MaxAddIds = 64;

    /// <summary>Refuses malformed input before anything is asked of other grains.</summary>
    public static void CheckAdd(string productId, int quantity, string? roomId, string addId)
    {
        Ids.Require(productId, "productId");
        Ids.Require(addId, "addId");
        if (roomId is not null)
        {
            Ids.Require(roomId, "roomId");
        }

        if (quantity < 1 || quantity > MaxQuantity)
        {
            throw LiveException.Invalid($"quantity must be 1 to {MaxQuantity}");
        }
    }

    /// <summary>
    /// Adds <paramref name="quantity"/> units of <paramref name="product"/> to <paramref name="items"/> at its
    /// current price, or refuses and leaves them unchanged.
    /// </summary>
    public static void Add(List<CartItem> items, Product product, int quantity, string? roomId)
    {
        var index = items.FindIndex(i => i.ProductId == product.Id);
        var total = quantity + (index >= 0 ? items[index].Quantity : 0);
        if (total > MaxQuantity)
        {
            throw LiveException.Invalid($"at most {MaxQuantity} units of one product in a cart");
        }

        if (index < 0 && items.Count >= MaxItems)
        {
            throw LiveException.Conflict($"a cart holds at most {MaxItems} products");
        }

        var others = index < 0 ? items : items.Where((_, i) => i != index);
        if (CurrencyOf(others) is { } currency && !string.Equals(currency, product.Currency, StringComparison.Ordinal))
        {
            throw LiveException.Conflict(
                $"the cart holds products priced in {currency}; check it out before adding one priced in {product.Currency}");
        }

        var item = new CartItem
        {
            ProductId = product.Id,
            Quantity = total,
            Price = product.Price,
            Currency = product.Currency,
            RoomId = roomId ?? (index >= 0 ? items[index].RoomId : null),
        };
        if (index >= 0)
        {
            items[index] = item;
        }
        else
        {
            items.Add(item);
        }
    }

    /// <summary>
    /// Takes a completed checkout's units out of the cart: each product's quantity less what the checkout bought, the
    /// item gone when nothing is left. Units added after the checkout started (while a failed one waited to be resumed)
    /// stay in the cart.
    /// </summary>
    public static void TakeCheckedOut(List<CartItem> items, IEnumerable<CartItem> bought)
    {
        foreach (var unit in bought)
        {
            var index = items.FindIndex(i => i.ProductId == unit.ProductId);
            if (index < 0)
            {
                continue;
            }

            var left = items[index].Quantity - unit.Quantity;
            if (left > 0)
            {
                items[index] = items[index] with { Quantity = left };
            }
            else
            {
                items.RemoveAt(index);
            }
        }
    }

    /// <summary>Whether an add with <paramref name="addId"/> was taken already (the same call sent again).</summary>
    public static bool IsRepeatedAdd(CartState state, string addId) => state.AddedAt.ContainsKey(addId);

    /// <summary>
    /// Keeps <paramref name="addId"/> as taken at <paramref name="now"/>, and drops the ids older than
    /// <paramref name="window"/> or, oldest first, over <see cref="MaxAddIds"/>.
    /// </summary>
    public static void RememberAdd(CartState state, string addId, DateTimeOffset now, TimeSpan window)
    {
        state.AddedAt[addId] = now;
        foreach (var old in state.AddedAt.Where(a => now - a.Value >= window).Select(a => a.Key).ToArray())
        {
            state.AddedAt.Remove(old);
        }

        if (state.AddedAt.Count > MaxAddIds)
        {
            foreach (var oldest in state.AddedAt.OrderBy(a => a.Value).Take(state.AddedAt.Count - MaxAddIds).Select(a => a.Key).ToArray())
            {
                state.AddedAt.Remove(oldest);
            }
        }
    }

    /// <summary>
    /// The currency of the cart's items; null for an empty cart. Items stored before carts kept a currency carry
    /// none and are not counted.
    /// </summary>
    public static string? CurrencyOf(IEnumerable<CartItem> items) =>
        items.Select(i => i.Currency).FirstOrDefault(c => c is not null);

    public static decimal Total(IEnumerable<CartItem> items) => items.Sum(i => i.Price * i.Quantity);

    /// <summary>
    /// Checkout keys a cart keeps at most, newest first: far more than a buyer checks out in the idempotency window, and
    /// a bound on the cart's state (rewritten whole with each write) for a client that checks out in a loop.
    /// </summary>
    public const int MaxCheckoutKeys = 256;

    /// <summary>
    /// Drops the checkout keys completed more than <paramref name="window"/> ago and then, oldest first, those over
    /// <see cref="MaxCheckoutKeys"/>; a pending checkout's key is never dropped. A retry of a dropped key is a new
    /// checkout (of whatever the cart then holds).
    /// </summary>
    /// <returns>How many were dropped.</returns>
    public static int CompactCheckouts(CartState state, TimeSpan window, DateTimeOffset now)
    {
        var pendingKey = state.Pending?.IdempotencyKey;
        var dropped = IdempotencyWindow.Compact(state.Checkouts, state.CheckedOutAt, window, now, keep: key => key == pendingKey).Dropped;
        var over = state.Checkouts.Count - MaxCheckoutKeys;
        if (over > 0)
        {
            foreach (var oldest in state.CheckedOutAt.Where(c => c.Key != pendingKey).OrderBy(c => c.Value).Take(over).Select(c => c.Key).ToArray())
            {
                state.Checkouts.Remove(oldest);
                state.CheckedOutAt.Remove(oldest);
                dropped++;
            }
        }

        return dropped;
    }
}
