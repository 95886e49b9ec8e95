namespace Live.Contracts.FlashSales;

/// <summary>
/// PROTOCOL.md's <c>LedgerEntry</c> (RedLive addition): one entry of a flash sale's ledger, in the order the sale
/// stored them. A <c>decided</c> entry is one answer to a purchase request; the other kinds are the sale's other
/// changes (<see cref="FlashSaleLedgerKinds"/>). Fields that do not apply to a kind are null.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.FlashSaleLedgerEntry")]
public sealed record FlashSaleLedgerEntry
{
    /// <summary>1 for the sale's first entry, then one more for each.</summary>
    [Id(0)] public required long Position { get; init; }
    [Id(1)] public required string Kind { get; init; }
    [Id(2)] public required DateTimeOffset At { get; init; }

    /// <summary>decided: the buyer's request id.</summary>
    [Id(3)] public string? RequestId { get; init; }

    /// <summary>decided: the buyer; banned, unbanned: the user.</summary>
    [Id(4)] public string? UserId { get; init; }

    /// <summary>decided: the units asked for (bought, when confirmed); started: the sale's quantity.</summary>
    [Id(5)] public int? Quantity { get; init; }

    /// <summary>decided: the outcome (<see cref="PurchaseStatus"/>); ended: the sale's status.</summary>
    [Id(6)] public string? Status { get; init; }

    /// <summary>decided, started: the units left after it.</summary>
    [Id(7)] public int? Remaining { get; init; }

    /// <summary>decided and confirmed: the order placed.</summary>
    [Id(8)] public string? OrderId { get; init; }

    /// <summary>delivered: the orders the buyers' order books have taken.</summary>
    [Id(9)] public IReadOnlyList<string>? OrderIds { get; init; }
}
