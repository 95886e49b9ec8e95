namespace Live.Contracts.FlashSales;

/// <summary>PROTOCOL.md's <c>PurchaseResult</c>.</summary>
[GenerateSerializer, Immutable, Alias("live.PurchaseResult")]
public sealed record PurchaseResult
{
    [Id(0)] public required string Status { get; init; }
    [Id(1)] public string? OrderId { get; init; }
    [Id(2)] public int Quantity { get; init; }
    [Id(3)] public int Remaining { get; init; }
}
