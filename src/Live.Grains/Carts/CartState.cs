using Live.Contracts.Carts;

namespace Live.Grains.Carts;

[GenerateSerializer, Alias("live.CartState")]
internal sealed class CartState
{
    [Id(0)] public List<CartItem> Items { get; set; } = [];

    /// <summary>Idempotency key to the order it produced, kept for the idempotency window (see <see cref="CheckedOutAt"/>).</summary>
    [Id(1)] public Dictionary<string, string> Checkouts { get; set; } = [];

    /// <summary>A checkout written before it takes stock, so that a crash in the middle is finished or undone.</summary>
    [Id(2)] public PendingCheckout? Pending { get; set; }

    /// <summary>
    /// When each of <see cref="Checkouts"/> completed, by the same key: dropped once older than the idempotency window.
    /// States stored before it have none; they are given the load time.
    /// </summary>
    [Id(3)] public Dictionary<string, DateTimeOffset> CheckedOutAt { get; set; } = [];

    /// <summary>
    /// The ids (the hub server's) of the last adds, with when each was taken: an add sent again finds its id here and
    /// adds nothing more. Kept the idempotency window (<c>Idempotency:Window</c>), at most <see cref="CartRules.MaxAddIds"/>.
    /// </summary>
    [Id(4)] public Dictionary<string, DateTimeOffset> AddedAt { get; set; } = [];
}
