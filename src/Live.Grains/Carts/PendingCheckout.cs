using Live.Contracts.Carts;

namespace Live.Grains.Carts;

[GenerateSerializer, Immutable, Alias("live.PendingCheckout")]
internal sealed record PendingCheckout
{
    [Id(0)] public required string IdempotencyKey { get; init; }
    [Id(1)] public required string OrderId { get; init; }
    [Id(2)] public required IReadOnlyList<CartItem> Items { get; init; }
}
