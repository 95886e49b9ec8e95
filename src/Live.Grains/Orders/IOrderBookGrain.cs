namespace Live.Grains.Orders;

/// <summary>One user's orders, keyed by user id. Adding is idempotent by order id.</summary>
[Alias("live.IOrderBookGrain")]
public interface IOrderBookGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task AddAsync(Order order);

    /// <summary>The user's orders, newest first.</summary>
    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<Order>> ListAsync();

    [Alias("Find"), ReadOnly]
    Task<Order?> FindAsync(string orderId);
}

public static class OrderStatus
{
    public const string Confirmed = "confirmed";
}

[GenerateSerializer, Immutable, Alias("live.OrderItem")]
public sealed record OrderItem
{
    [Id(0)] public required string ProductId { get; init; }
    [Id(1)] public required int Quantity { get; init; }
    [Id(2)] public required decimal Price { get; init; }
}

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
