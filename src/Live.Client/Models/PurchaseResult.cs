namespace Live.Client.Models;

/// <summary>
/// <c>BuyNow</c>'s answer. Business outcomes are statuses, not errors (<see cref="PurchaseStatuses"/>); the same request
/// id always gets the same result and never buys twice.
/// </summary>
public sealed record PurchaseResult
{
    public string Status { get; init; } = "";

    public string? OrderId { get; init; }

    public int Quantity { get; init; }

    public int Remaining { get; init; }

    /// <summary>The order this purchase made, when the answer carries it (<c>BuyNowWithOrder</c>, PROTOCOL v1.6).</summary>
    public Order? Order { get; init; }
}
