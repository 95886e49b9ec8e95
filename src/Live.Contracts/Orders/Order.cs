namespace Live.Contracts.Orders;

/// <summary>PROTOCOL.md's <c>Order</c>; <c>saleId</c> is null for a cart checkout.</summary>
[GenerateSerializer, Immutable, Alias("live.Order")]
public sealed record Order
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string UserId { get; init; }
    [Id(2)] public required IReadOnlyList<OrderItem> Items { get; init; }
    [Id(3)] public required decimal Total { get; init; }
    [Id(4)] public required string Status { get; init; }
    [Id(5)] public string? SaleId { get; init; }
    [Id(6)] public required DateTimeOffset CreatedAt { get; init; }
    [Id(7)] public string? Currency { get; init; }
}
