using Live.Contracts.FlashSales;

namespace Live.Grains.FlashSales;

/// <summary>
/// One entry of a flash sale's ledger: a purchase decision (request id, user, quantity asked, outcome, units left
/// after it, time) or another change of the sale (start, ban, end, stock returned, orders delivered). The sale's state
/// is what <see cref="SaleLedger.Apply"/> makes of its entries in order, so an entry holds exactly what that needs and
/// nothing that can be derived (a confirmation's order is rebuilt from it and the sale).
/// </summary>
[GenerateSerializer, Immutable, Alias("live.SaleEntry")]
internal sealed record SaleEntry
{
    [Id(0)] public required SaleEntryKind Kind { get; init; }
    [Id(1)] public required DateTimeOffset At { get; init; }

    /// <summary>Decided: the buyer's request id.</summary>
    [Id(2)] public string? RequestId { get; init; }

    /// <summary>Decided: the buyer; Banned, Unbanned: the user.</summary>
    [Id(3)] public string? UserId { get; init; }

    /// <summary>Decided: the units asked for (bought, when confirmed).</summary>
    [Id(4)] public int Quantity { get; init; }

    /// <summary>Decided: the outcome (<see cref="PurchaseStatus"/>); Ended: the sale's new status.</summary>
    [Id(5)] public string? Status { get; init; }

    /// <summary>Decided: the units left after the decision.</summary>
    [Id(6)] public int Remaining { get; init; }

    /// <summary>Decided and confirmed: the order's id.</summary>
    [Id(7)] public string? OrderId { get; init; }

    /// <summary>Started: the sale as it opened.</summary>
    [Id(8)] public FlashSale? Sale { get; init; }

    /// <summary>Started: the host of the sale's room.</summary>
    [Id(9)] public string? HostId { get; init; }

    /// <summary>Started: the users banned from the room; Delivered: none.</summary>
    [Id(10)] public string[]? Users { get; init; }

    /// <summary>Delivered: the orders the buyers' order books have taken.</summary>
    [Id(11)] public string[]? OrderIds { get; init; }

    public bool IsConfirmation => Kind == SaleEntryKind.Decided && Status == PurchaseStatus.Confirmed;
}
