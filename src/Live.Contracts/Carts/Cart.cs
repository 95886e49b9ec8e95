namespace Live.Contracts.Carts;

[GenerateSerializer, Immutable, Alias("live.Cart")]
public sealed record Cart
{
    [Id(0)] public required string UserId { get; init; }
    [Id(1)] public required IReadOnlyList<CartItem> Items { get; init; }
    [Id(2)] public required decimal Total { get; init; }
}
