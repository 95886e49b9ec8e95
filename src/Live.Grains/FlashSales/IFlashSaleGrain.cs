using Live.Grains.Catalog;
using Live.Grains.Orders;

namespace Live.Grains.FlashSales;

/// <summary>
/// One flash sale, keyed by sale id: the inventory guard. Not reentrant; every purchase is durably written
/// before it is answered, so a sale never sells more than its quantity nor more than a user's limit.
/// </summary>
[Alias("live.IFlashSaleGrain")]
public interface IFlashSaleGrain : IGrainWithStringKey
{
    /// <summary>Opens the sale; called by the room grain, which has checked the host and the room.</summary>
    [Alias("Start")]
    Task<FlashSale> StartAsync(string hostId, string roomId, Product product, NewFlashSale sale);

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
    [Alias("BuyNow"), AlwaysInterleave]
    Task<PurchaseOutcome> BuyNowAsync(Caller buyer, int quantity, string requestId);

    /// <summary>Ends the sale for its host; unsold units go back to the product's stock.</summary>
    [Alias("End")]
    Task<FlashSale> EndAsync(string hostId);

    /// <summary>Ends the sale because its room ended (the room grain has checked the host).</summary>
    [Alias("EndForRoom")]
    Task<FlashSale> EndForRoomAsync();
}

public static class SaleStatus
{
    public const string Active = "active";
    public const string Ended = "ended";
    public const string SoldOut = "soldOut";
}

public static class PurchaseStatus
{
    public const string Confirmed = "confirmed";
    public const string SoldOut = "soldOut";
    public const string LimitExceeded = "limitExceeded";
    public const string NotActive = "notActive";
}

/// <summary>What a host sends to open a sale (<c>POST /api/rooms/{roomId}/flash-sales</c>).</summary>
[GenerateSerializer, Immutable, Alias("live.NewFlashSale")]
public sealed record NewFlashSale
{
    [Id(0)] public string? ProductId { get; init; }
    [Id(1)] public decimal Price { get; init; }
    [Id(2)] public int Quantity { get; init; }
    [Id(3)] public int PerUserLimit { get; init; }
    [Id(4)] public int DurationSeconds { get; init; }
}

[GenerateSerializer, Immutable, Alias("live.FlashSale")]
public sealed record FlashSale
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string RoomId { get; init; }
    [Id(2)] public required Product Product { get; init; }
    [Id(3)] public required decimal Price { get; init; }
    [Id(4)] public required int Quantity { get; init; }
    [Id(5)] public required int Remaining { get; init; }
    [Id(6)] public required int PerUserLimit { get; init; }
    [Id(7)] public required string Status { get; init; }
    [Id(8)] public required DateTimeOffset EndsAt { get; init; }
}

/// <summary>PROTOCOL.md's <c>PurchaseResult</c>.</summary>
[GenerateSerializer, Immutable, Alias("live.PurchaseResult")]
public sealed record PurchaseResult
{
    [Id(0)] public required string Status { get; init; }
    [Id(1)] public string? OrderId { get; init; }
    [Id(2)] public int Quantity { get; init; }
    [Id(3)] public int Remaining { get; init; }
}

/// <summary>A purchase's result, with the order when this call is the one that confirmed it (null on a replay).</summary>
[GenerateSerializer, Immutable, Alias("live.PurchaseOutcome")]
public sealed record PurchaseOutcome
{
    [Id(0)] public required PurchaseResult Result { get; init; }
    [Id(1)] public Order? NewOrder { get; init; }
}

/// <summary>The coalesced <c>FlashSaleUpdated</c> event's argument.</summary>
[GenerateSerializer, Immutable, Alias("live.FlashSaleProgress")]
public sealed record FlashSaleProgress
{
    [Id(0)] public required string SaleId { get; init; }
    [Id(1)] public required int Remaining { get; init; }
    [Id(2)] public required int Sold { get; init; }

    /// <summary>Display names of the latest buyers, newest first.</summary>
    [Id(3)] public required IReadOnlyList<string> RecentBuyers { get; init; }
}
