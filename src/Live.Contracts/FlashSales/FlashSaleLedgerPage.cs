namespace Live.Contracts.FlashSales;

/// <summary>
/// PROTOCOL.md's <c>LedgerPage</c> (RedLive addition): entries after a position, oldest first. <see cref="Next"/> is
/// the <c>after</c> of the next page, null once this page reached the ledger's end.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.FlashSaleLedgerPage")]
public sealed record FlashSaleLedgerPage
{
    [Id(0)] public required string SaleId { get; init; }
    [Id(1)] public required IReadOnlyList<FlashSaleLedgerEntry> Entries { get; init; }
    [Id(2)] public long? Next { get; init; }
}
