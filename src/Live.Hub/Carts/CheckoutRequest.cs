namespace Live.Hub.Carts;

/// <summary><c>POST /api/cart/checkout</c>'s body.</summary>
public sealed record CheckoutRequest(string? IdempotencyKey);
