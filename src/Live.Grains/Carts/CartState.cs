namespace Live.Grains.Carts;

[GenerateSerializer, Alias("live.CartState")]
public sealed class CartState
{
    [Id(0)] public List<CartItem> Items { get; set; } = [];

    /// <summary>Idempotency key to the order it produced.</summary>
    [Id(1)] public Dictionary<string, string> Checkouts { get; set; } = [];

    /// <summary>A checkout written before it takes stock, so that a crash in the middle is finished or undone.</summary>
    [Id(2)] public PendingCheckout? Pending { get; set; }
}

[GenerateSerializer, Immutable, Alias("live.PendingCheckout")]
public sealed record PendingCheckout
{
    [Id(0)] public required string IdempotencyKey { get; init; }
    [Id(1)] public required string OrderId { get; init; }
    [Id(2)] public required IReadOnlyList<CartItem> Items { get; init; }
}
