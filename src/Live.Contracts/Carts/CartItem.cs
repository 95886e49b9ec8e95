namespace Live.Contracts.Carts;

[GenerateSerializer, Immutable, Alias("live.CartItem")]
public sealed record CartItem
{
    [Id(0)] public required string ProductId { get; init; }
    [Id(1)] public required int Quantity { get; init; }
    [Id(2)] public required decimal Price { get; init; }
    [Id(3)] public string? RoomId { get; init; }
}
