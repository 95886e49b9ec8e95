namespace Live.Contracts.Carts;

[GenerateSerializer, Immutable, Alias("live.CartItem")]
public sealed record CartItem
{
    [Id(0)] public required string ProductId { get; init; }
    [Id(1)] public required int Quantity { get; init; }
    [Id(2)] public required decimal Price { get; init; }
    [Id(3)] public string? RoomId { get; init; }

    /// <summary>The product's currency (ISO 4217); null on items added before carts kept it.</summary>
    [Id(4)] public string? Currency { get; init; }
}
