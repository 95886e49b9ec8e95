using Live.Contracts.Orders;

namespace Live.Contracts.FlashSales;

/// <summary>A purchase's result, with the order when this call is the one that confirmed it (null on a replay).</summary>
[GenerateSerializer, Immutable, Alias("live.PurchaseOutcome")]
public sealed record PurchaseOutcome
{
    [Id(0)] public required PurchaseResult Result { get; init; }
    [Id(1)] public Order? NewOrder { get; init; }
}
