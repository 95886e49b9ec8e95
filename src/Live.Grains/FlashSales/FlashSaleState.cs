using Live.Contracts.FlashSales;
using Live.Contracts.Orders;

namespace Live.Grains.FlashSales;

[GenerateSerializer, Alias("live.FlashSaleState")]
internal sealed class FlashSaleState
{
    [Id(0)] public FlashSale? Sale { get; set; }
    [Id(1)] public string? HostId { get; set; }

    /// <summary>Units confirmed per user id while the sale is active (dropped once it is over: <see cref="FlashSaleRules.CompactRequests"/>).</summary>
    [Id(2)] public Dictionary<string, int> PerUser { get; set; } = [];

    /// <summary>
    /// The answered requests, keyed by <see cref="RequestKey"/>, so a retry gets the same answer: all of them while the
    /// sale is active, and for the idempotency window once it is over (see <see cref="AnsweredAt"/>).
    /// </summary>
    [Id(3)] public Dictionary<string, PurchaseResult> Requests { get; set; } = [];

    /// <summary>
    /// Confirmed orders not yet acknowledged by the buyer's order book (an outbox): written with the purchase,
    /// delivered right after, and re-delivered after a crash. Delivery is idempotent by order id.
    /// </summary>
    [Id(4)] public List<Order> Outbox { get; set; } = [];

    /// <summary>Unsold units have gone back to the product's stock.</summary>
    [Id(5)] public bool StockReturned { get; set; }

    /// <summary>
    /// Users banned from the sale's room, who may not buy: handed over at start and kept current by the room, so a
    /// purchase checks a set in memory instead of asking the room.
    /// </summary>
    [Id(7)] public HashSet<string> BannedBuyers { get; set; } = [];

    /// <summary>
    /// When each of <see cref="Requests"/> was answered, by the same key: kept for the idempotency window, then
    /// compacted once the sale is over. States stored before it have none; they are given the load time.
    /// </summary>
    [Id(8)] public Dictionary<string, DateTimeOffset> AnsweredAt { get; set; } = [];

    /// <summary>
    /// Refusals recorded per user id while the sale is active: past <see cref="FlashSaleRules.MaxRecordedRefusalsPerUser"/>
    /// a user's refusals are answered without an entry (see <see cref="PurchaseDecision.IsRecorded"/>). Dropped once the
    /// sale is over, as <see cref="PerUser"/> is.
    /// </summary>
    [Id(9)] public Dictionary<string, int> RefusedPerUser { get; set; } = [];

    // [Id(6)] held a count of confirmed orders that nothing read; stored states may still carry it, so 6 is not reused.

    /// <summary>
    /// A copy whose collections are its own, for a snapshot serialized off the grain's turn while purchases go on
    /// changing this one: the collections are copied (a flat copy of their entries, without hashing the keys again),
    /// their values are immutable records and strings and are shared.
    /// </summary>
    public FlashSaleState Copy() => new()
    {
        Sale = Sale,
        HostId = HostId,
        PerUser = new(PerUser, PerUser.Comparer),
        Requests = new(Requests, Requests.Comparer),
        Outbox = [.. Outbox],
        StockReturned = StockReturned,
        BannedBuyers = new(BannedBuyers, BannedBuyers.Comparer),
        AnsweredAt = new(AnsweredAt, AnsweredAt.Comparer),
        RefusedPerUser = new(RefusedPerUser, RefusedPerUser.Comparer),
    };

    public static string RequestKey(string userId, string requestId) => string.Concat(userId, "\n", requestId);
}
