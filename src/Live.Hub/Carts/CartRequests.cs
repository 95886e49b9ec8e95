namespace Live.Hub.Carts;

/// <summary><c>POST /api/cart/items</c>'s body.</summary>
public sealed record AddCartItemRequest(string? ProductId, int Quantity, string? RoomId);

/// <summary><c>POST /api/cart/checkout</c>'s body.</summary>
public sealed record CheckoutRequest(string? IdempotencyKey);
