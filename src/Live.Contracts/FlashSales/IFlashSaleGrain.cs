using Live.Contracts.Catalog;

namespace Live.Contracts.FlashSales;

/// <summary>
/// One flash sale, keyed by sale id: the inventory guard. Every purchase is durably written before it is answered,
/// so a sale never sells more than its quantity nor more than a user's limit. Not reentrant, with two exceptions:
/// <see cref="BuyNowAsync"/> interleaves with every call (group commit, see its remarks), and <see cref="GetAsync"/>
/// calls, being read-only, interleave with each other.
/// </summary>
[Alias("live.IFlashSaleGrain")]
public interface IFlashSaleGrain : IGrainWithStringKey
{
    /// <summary>
    /// Opens the sale; called by the room grain, which has checked the host and the room and hands over the users
    /// banned from the room, who may not buy (<c>forbidden</c>). A sale its room already started (the room's call sent
    /// again) answers as it is.
    /// </summary>
    [Alias("Start")]
    Task<FlashSale> StartAsync(string hostId, string roomId, Product product, NewFlashSale sale, IReadOnlyCollection<string> bannedBuyers);

    /// <summary>The room banned (or unbanned) a user: from now on their purchases here are refused (or taken again).</summary>
    [Alias("SetBuyerBanned")]
    Task SetBuyerBannedAsync(string userId, bool banned);

    [Alias("Get"), ReadOnly]
    Task<FlashSale> GetAsync();

    /// <summary>
    /// Buys <paramref name="quantity"/> units. The same <paramref name="requestId"/> from the same user always
    /// gets the same result and never buys twice.
    /// </summary>
    /// <remarks>
    /// Interleaved on purpose (group commit): each call decides and changes the state in one synchronous turn, then
    /// waits for a storage write that started after its change. Purchases that arrive during a write share the next
    /// one, so a rush costs one write per batch instead of one per purchase.
    /// </remarks>
    [Alias("BuyNow"), AlwaysInterleave, RetrySafe]
    Task<PurchaseOutcome> BuyNowAsync(Caller buyer, int quantity, string requestId);

    /// <summary>
    /// Several purchases in one call, as the same number of <see cref="BuyNowAsync"/> calls arriving at once would be:
    /// each decided in turn, all sharing the next write, each answered with its outcome or its own error. A hub server
    /// sends the purchases it receives for one sale while its earlier calls are in flight as one of these
    /// (<c>Live.Hub.Sales.PurchaseBatcher</c>), so a rush costs one grain call per batch instead of one per purchase.
    /// </summary>
    [Alias("BuyNowMany"), AlwaysInterleave, RetrySafe]
    Task<IReadOnlyList<PurchaseReply>> BuyNowManyAsync(IReadOnlyList<PurchaseRequest> purchases);

    /// <summary>
    /// Ends the sale for its host; unsold units go back to the product's stock. An ended sale answers as it is.
    /// </summary>
    [Alias("End"), RetrySafe]
    Task<FlashSale> EndAsync(string hostId);

    /// <summary>Ends the sale because its room ended (the room grain has checked the host).</summary>
    [Alias("EndForRoom")]
    Task<FlashSale> EndForRoomAsync();

    /// <summary>
    /// The sale's ledger, <paramref name="limit"/> entries after position <paramref name="after"/>, for the host of
    /// its room (<c>forbidden</c> otherwise). Only what storage holds is listed.
    /// </summary>
    [Alias("ReadLedger"), AlwaysInterleave, RetrySafe]
    Task<FlashSaleLedgerPage> ReadLedgerAsync(string hostId, long after, int limit);

    /// <summary>
    /// Replays the sale's ledger from its first entry and counts its orders in the buyers' order books, for the host
    /// of its room (<c>forbidden</c> otherwise). Orders the sale still owes are delivered first.
    /// </summary>
    /// <remarks>
    /// A big sale's audit reads every buyer's order book: it may take minutes (up to its own response timeout, not the
    /// cluster's 10 s), and it is not retried across a silo's loss (the hub server's retries stop at their budget of
    /// seconds, and a second attempt alongside would double the work): it answers <c>unavailable</c> and the host asks
    /// again.
    /// </remarks>
    [Alias("Audit"), AlwaysInterleave, ResponseTimeout("00:05:00")]
    Task<FlashSaleAudit> AuditAsync(string hostId);
}
