using System.Diagnostics.CodeAnalysis;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;

namespace Live.Grains.FlashSales;

/// <summary><see cref="FlashSaleRules.Decide"/>'s answer to a new purchase request, before it changes the state.</summary>
internal sealed record PurchaseDecision
{
    /// <summary>The request's key in <see cref="FlashSaleState.Requests"/>.</summary>
    public required string RequestKey { get; init; }

    /// <summary>The decision as the sale's ledger records it.</summary>
    public required SaleEntry Entry { get; init; }

    public required PurchaseResult Result { get; init; }

    /// <summary>
    /// Whether the decision goes into the ledger (and the answers a retry is given from): only while the sale is active.
    /// A sale that has ended answers every new request <c>notActive</c>, and one that sold out <c>soldOut</c>, whatever
    /// it carries: both ends are final (no unit comes back to a sale), so the answer follows from the stored end, a
    /// retry gets it again by the same rule, and recording it would only grow the ledger and the answers of a sale
    /// that is over for as long as anyone keeps asking (rate-limited, but without end).
    /// </summary>
    public required bool IsRecorded { get; init; }

    /// <summary>The confirmed order; null for a refusal.</summary>
    public Order? Order { get; init; }

    [MemberNotNullWhen(true, nameof(Order))]
    public bool IsConfirmed => Order is not null;

    /// <summary>
    /// Records the answer so a retry gets it again. A confirmation also takes its units, counts them against the
    /// buyer's limit and puts its order in the outbox: what <see cref="SaleLedger.Apply"/> makes of the entry, as a
    /// rebuild from the ledger will.
    /// </summary>
    public void ApplyTo(FlashSaleState state) => SaleLedger.Apply(state, Entry);
}
