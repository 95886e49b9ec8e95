using Live.Contracts.Carts;

namespace Live.Grains.Carts;

[GenerateSerializer, Alias("live.CartState")]
internal sealed class CartState
{
    [Id(0)] public List<CartItem> Items { get; set; } = [];

    /// <summary>Idempotency key to the order it produced.</summary>
    [Id(1)] public Dictionary<string, string> Checkouts { get; set; } = [];

    /// <summary>A checkout written before it takes stock, so that a crash in the middle is finished or undone.</summary>
    [Id(2)] public PendingCheckout? Pending { get; set; }
}
