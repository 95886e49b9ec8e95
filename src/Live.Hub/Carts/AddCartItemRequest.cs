namespace Live.Hub.Carts;

/// <summary><c>POST /api/cart/items</c>'s body.</summary>
public sealed record AddCartItemRequest(string? ProductId, int Quantity, string? RoomId);
