using Live.Contracts;

namespace Live.Hub.Carts;

/// <summary>
/// The id a cart add is stored under (<c>ICartGrain.AddItemAsync</c>'s <c>addId</c>): the client's idempotency key when
/// it gave one (<c>POST /api/cart/items</c>'s <c>idempotencyKey</c>, the hub's <c>AddToCartWithKey</c>), prefixed so
/// that it never meets an id of the hub server's, and a new one otherwise. Either way the hub server re-sends the add
/// with it across a silo's loss; only a client's key also makes the client's own repeat add once.
/// </summary>
public static class CartAddIds
{
    /// <summary>An add id is at most 64 characters; the key's prefix takes four.</summary>
    public const int MaxKeyLength = 60;

    private const string KeyPrefix = "key:";

    /// <summary>A new id for an add without a key.</summary>
    public static string New() => Ids.New("add");

    /// <summary>The id of the add the client named <paramref name="idempotencyKey"/>; <c>invalid_argument</c> when it is not 1 to 60 printable ASCII.</summary>
    public static string FromKey(string? idempotencyKey)
    {
        Ids.Require(idempotencyKey, "idempotencyKey", MaxKeyLength);
        return KeyPrefix + idempotencyKey;
    }
}
