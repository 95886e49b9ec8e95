using Live.Contracts.FlashSales;
using Live.Contracts.Orders;

namespace Live.Grains.FlashSales;

/// <summary>
/// How a flash sale's ledger makes its state: the one place a <see cref="SaleEntry"/> changes a
/// <see cref="FlashSaleState"/>, used both as the sale decides (the grain applies each entry it appends) and when an
/// activation rebuilds the state from a snapshot and the ledger's tail, so that the two cannot differ.
/// </summary>
internal static class SaleLedger
{
    public static void Apply(FlashSaleState state, SaleEntry entry)
    {
        switch (entry.Kind)
        {
            case SaleEntryKind.Started:
                state.Sale = entry.Sale;
                state.HostId = entry.HostId;
                state.BannedBuyers = new HashSet<string>(entry.Users ?? [], StringComparer.Ordinal);
                break;
            case SaleEntryKind.Decided:
                var key = FlashSaleState.RequestKey(entry.UserId!, entry.RequestId!);
                state.Requests[key] = ResultOf(entry);
                state.AnsweredAt[key] = entry.At;
                if (entry.IsConfirmation)
                {
                    var sale = RequireSale(state);
                    state.Sale = sale with
                    {
                        Remaining = entry.Remaining,
                        Status = entry.Remaining == 0 ? SaleStatus.SoldOut : SaleStatus.Active,
                    };
                    state.PerUser[entry.UserId!] = state.PerUser.GetValueOrDefault(entry.UserId!) + entry.Quantity;
                    state.Outbox.Add(OrderOf(sale, entry));
                }
                else
                {
                    state.RefusedPerUser[entry.UserId!] = state.RefusedPerUser.GetValueOrDefault(entry.UserId!) + 1;
                }

                break;
            case SaleEntryKind.Banned:
                state.BannedBuyers.Add(entry.UserId!);
                break;
            case SaleEntryKind.Unbanned:
                state.BannedBuyers.Remove(entry.UserId!);
                break;
            case SaleEntryKind.Ended:
                state.Sale = RequireSale(state) with { Status = entry.Status! };
                break;
            case SaleEntryKind.StockReturned:
                state.StockReturned = true;
                break;
            case SaleEntryKind.Delivered:
                var delivered = new HashSet<string>(entry.OrderIds ?? [], StringComparer.Ordinal);
                state.Outbox.RemoveAll(o => delivered.Contains(o.Id));
                break;
            default:
                throw new InvalidOperationException($"unknown sale ledger entry kind {entry.Kind}");
        }
    }

    /// <summary>The answer a decision gave (and gives again to a retry of its request id).</summary>
    public static PurchaseResult ResultOf(SaleEntry decided) => new()
    {
        Status = decided.Status!,
        OrderId = decided.OrderId,
        Quantity = decided.IsConfirmation ? decided.Quantity : 0,
        Remaining = decided.Remaining,
    };

    /// <summary>The order a confirmation placed, from the sale it was made in (before it took its units).</summary>
    public static Order OrderOf(FlashSale sale, SaleEntry confirmed) => new()
    {
        Id = confirmed.OrderId!,
        UserId = confirmed.UserId!,
        Items = [new OrderItem { ProductId = sale.Product.Id, Quantity = confirmed.Quantity, Price = sale.Price }],
        Total = sale.Price * confirmed.Quantity,
        Currency = sale.Product.Currency,
        Status = OrderStatus.Confirmed,
        SaleId = sale.Id,
        CreatedAt = confirmed.At,
    };

    private static FlashSale RequireSale(FlashSaleState state) =>
        state.Sale ?? throw new InvalidOperationException("a sale ledger entry before the sale's start");
}
