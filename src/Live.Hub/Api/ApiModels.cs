namespace Live.Hub.Api;

/// <summary><c>POST /api/rooms/{roomId}/pin</c>'s body.</summary>
public sealed record PinRequest(string? ProductId);

/// <summary><c>POST /api/cart/items</c>'s body.</summary>
public sealed record AddCartItemRequest(string? ProductId, int Quantity, string? RoomId);

/// <summary><c>POST /api/cart/checkout</c>'s body.</summary>
public sealed record CheckoutRequest(string? IdempotencyKey);
