namespace Live.Contracts.FlashSales;

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
