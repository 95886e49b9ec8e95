namespace Live.Contracts.Orders;

[GenerateSerializer, Immutable, Alias("live.OrderItem")]
public sealed record OrderItem
{
    [Id(0)] public required string ProductId { get; init; }
    [Id(1)] public required int Quantity { get; init; }
    [Id(2)] public required decimal Price { get; init; }
}
