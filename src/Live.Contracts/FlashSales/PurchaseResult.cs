using System.Text.Json.Serialization;
using Live.Contracts.Orders;

namespace Live.Contracts.FlashSales;

/// <summary>PROTOCOL.md's <c>PurchaseResult</c>.</summary>
[GenerateSerializer, Immutable, Alias("live.PurchaseResult")]
public sealed record PurchaseResult
{
    [Id(0)] public required string Status { get; init; }
    [Id(1)] public string? OrderId { get; init; }
    [Id(2)] public int Quantity { get; init; }
    [Id(3)] public int Remaining { get; init; }

    /// <summary>
    /// The order this call made (RedLive addition, PROTOCOL v1.6): only in <c>BuyNowWithOrder</c>'s answer, and only when
    /// that call confirmed a new order; absent (not null) everywhere else.
    /// </summary>
    [Id(4)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Order? Order { get; init; }
}
