namespace Live.Client.Models;

/// <summary>PROTOCOL.md's <c>Order</c>: the argument of <c>PurchaseConfirmed</c>; <c>saleId</c> is null for a cart checkout.</summary>
public sealed record Order
{
    public string Id { get; init; } = "";

    public string UserId { get; init; } = "";

    public IReadOnlyList<OrderItem> Items { get; init; } = [];

    public decimal Total { get; init; }

    public string Status { get; init; } = "";

    public string? SaleId { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    public string? Currency { get; init; }
}
