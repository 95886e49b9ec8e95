namespace Live.Contracts.FlashSales;

/// <summary>
/// PROTOCOL.md's <c>SaleAudit</c> (RedLive addition): the sale's ledger replayed from its first entry, checked against
/// itself and against the buyers' order books. Units throughout: <see cref="Confirmed"/> the units the ledger
/// confirmed, <see cref="Orders"/> the units of those confirmations' orders found in the buyers' order books.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.FlashSaleAudit")]
public sealed record FlashSaleAudit
{
    [Id(0)] public required string SaleId { get; init; }
    [Id(1)] public required int Quantity { get; init; }
    [Id(2)] public required int Confirmed { get; init; }
    [Id(3)] public required int Remaining { get; init; }
    [Id(4)] public required int Orders { get; init; }

    /// <summary>
    /// Nothing oversold (confirmed + remaining = quantity, each decision's remaining follows from the one before), no
    /// buyer over the per-user limit, and every confirmed unit has its order (orders = confirmed).
    /// </summary>
    [Id(5)] public required bool Consistent { get; init; }

    /// <summary>How many purchase decisions the ledger holds (refusals included).</summary>
    [Id(6)] public required long Decisions { get; init; }

    /// <summary>What is not consistent, in words; empty when <see cref="Consistent"/>.</summary>
    [Id(7)] public required IReadOnlyList<string> Problems { get; init; }
}
