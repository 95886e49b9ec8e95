namespace Live.Contracts.Carts;

[GenerateSerializer, Immutable, Alias("live.Cart")]
public sealed record Cart
{
    [Id(0)] public required string UserId { get; init; }
    [Id(1)] public required IReadOnlyList<CartItem> Items { get; init; }
    [Id(2)] public required decimal Total { get; init; }

    /// <summary>The currency of <see cref="Total"/>: every item of a cart has the same one. Null for an empty cart.</summary>
    [Id(3)] public string? Currency { get; init; }
}
