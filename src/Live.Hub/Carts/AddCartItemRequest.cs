namespace Live.Hub.Carts;

/// <summary>
/// <c>POST /api/cart/items</c>'s body. <see cref="IdempotencyKey"/> (optional, RedLive's addition) makes the client's
/// own repeat of the add safe: the same key adds once (kept with the cart like the hub server's own add ids).
/// </summary>
public sealed record AddCartItemRequest(string? ProductId, int Quantity, string? RoomId, string? IdempotencyKey = null);
