using System.Diagnostics.CodeAnalysis;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;

namespace Live.Grains.FlashSales;

/// <summary><see cref="FlashSaleRules.Decide"/>'s answer to a new purchase request, before it changes the state.</summary>
internal sealed record PurchaseDecision
{
    /// <summary>The request's key in <see cref="FlashSaleState.Requests"/>.</summary>
    public required string RequestKey { get; init; }

    public required PurchaseResult Result { get; init; }

    /// <summary>When it was answered: the answer is kept at least the idempotency window after it.</summary>
    public required DateTimeOffset AnsweredAt { get; init; }

    /// <summary>The confirmed order; null for a refusal.</summary>
    public Order? Order { get; init; }

    /// <summary>The sale with the confirmed units taken; null for a refusal.</summary>
    public FlashSale? Sale { get; init; }

    /// <summary>The buyer's units confirmed, this order's included; 0 for a refusal.</summary>
    public int Bought { get; init; }

    [MemberNotNullWhen(true, nameof(Order), nameof(Sale))]
    public bool IsConfirmed => Order is not null && Sale is not null;

    /// <summary>
    /// Records the answer so a retry gets it again. A confirmation also takes its units, counts them against the
    /// buyer's limit and puts its order in the outbox, all to be stored by one write.
    /// </summary>
    public void ApplyTo(FlashSaleState state)
    {
        state.Requests[RequestKey] = Result;
        state.AnsweredAt[RequestKey] = AnsweredAt;
        if (IsConfirmed)
        {
            state.Sale = Sale;
            state.PerUser[Order.UserId] = Bought;
            state.Outbox.Add(Order);
        }
    }
}
