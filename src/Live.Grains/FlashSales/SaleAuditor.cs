using Live.Contracts.FlashSales;

namespace Live.Grains.FlashSales;

/// <summary>
/// Replays a sale's ledger from its first entry, without trusting the sale's state: adds up the confirmed units, checks
/// that each decision's remaining follows from the one before and that no buyer went over the limit, and keeps each
/// buyer's confirmed order ids so that the grain can look for them in the order books (and for orders of the sale
/// there that the ledger never confirmed).
/// </summary>
internal sealed class SaleAuditor
{
    private readonly List<string> _problems = [];
    private readonly Dictionary<string, int> _perUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, int>> _orders = new(StringComparer.Ordinal);
    private readonly HashSet<string> _users = new(StringComparer.Ordinal);
    private readonly HashSet<(string User, string Request)> _confirmedRequests = [];
    private FlashSale? _sale;
    private int _remaining;
    private long _position;

    public int Confirmed { get; private set; }

    public long Decisions { get; private set; }

    /// <summary>The position of the last entry replayed: entries after it were appended after the audit read.</summary>
    public long Position => _position;

    /// <summary>Each buyer's confirmed orders: order id → units.</summary>
    public IReadOnlyDictionary<string, Dictionary<string, int>> OrdersByBuyer => _orders;

    /// <summary>Every user the ledger decided for, confirmed or refused: whose order books the audit reads.</summary>
    public IReadOnlyCollection<string> Users => _users;

    public void Add(long position, SaleEntry entry)
    {
        if (position != _position + 1)
        {
            _problems.Add($"entry {position} follows entry {_position}");
        }

        _position = position;
        if (entry.Kind == SaleEntryKind.Started)
        {
            _sale = entry.Sale;
            _remaining = entry.Sale?.Quantity ?? 0;
            return;
        }

        if (entry.Kind != SaleEntryKind.Decided)
        {
            return;
        }

        Decisions++;
        if (entry.UserId is { } user)
        {
            _users.Add(user);
        }

        if (_sale is null)
        {
            _problems.Add($"entry {position}: a decision before the sale started");
            return;
        }

        var expected = entry.IsConfirmation ? _remaining - entry.Quantity : _remaining;
        if (entry.Remaining != expected || expected < 0)
        {
            _problems.Add($"entry {position}: remaining {entry.Remaining} after {_remaining} (expected {expected})");
        }

        _remaining = entry.Remaining;
        if (!entry.IsConfirmation)
        {
            return;
        }

        Confirmed += entry.Quantity;
        var bought = _perUser[entry.UserId!] = _perUser.GetValueOrDefault(entry.UserId!) + entry.Quantity;
        if (bought > _sale.PerUserLimit)
        {
            _problems.Add($"entry {position}: {entry.UserId} bought {bought}, over the limit of {_sale.PerUserLimit}");
        }

        if (!_orders.TryGetValue(entry.UserId!, out var orders))
        {
            _orders[entry.UserId!] = orders = new(StringComparer.Ordinal);
        }

        if (!orders.TryAdd(entry.OrderId!, entry.Quantity))
        {
            _problems.Add($"entry {position}: order {entry.OrderId} confirmed twice");
        }

        // A request id is decided once; a replay answers that decision. Two confirmations of one request sold it twice.
        if (entry.RequestId is { } request && !_confirmedRequests.Add((entry.UserId!, request)))
        {
            _problems.Add($"entry {position}: request {request} of {entry.UserId} confirmed twice");
        }
    }

    /// <param name="saleId">The audited sale.</param>
    /// <param name="orders">The confirmed units whose orders the buyers' order books hold.</param>
    /// <param name="unconfirmed">Orders of this sale in those books whose ids the ledger never confirmed.</param>
    public FlashSaleAudit Result(string saleId, int orders, int unconfirmed = 0)
    {
        var problems = new List<string>(_problems);
        var quantity = _sale?.Quantity ?? 0;
        var remaining = quantity - Confirmed;
        if (_sale is null)
        {
            problems.Add("the ledger has no start");
        }
        else if (remaining != _remaining)
        {
            problems.Add($"the last decision left {_remaining}, but {quantity} - {Confirmed} confirmed = {remaining}");
        }

        if (remaining < 0)
        {
            problems.Add($"oversold: {Confirmed} confirmed of {quantity}");
        }

        if (orders != Confirmed)
        {
            problems.Add($"{Confirmed} units confirmed, {orders} found in the buyers' order books");
        }

        if (unconfirmed > 0)
        {
            problems.Add($"{unconfirmed} orders of this sale in the buyers' order books were never confirmed in its ledger");
        }

        return new FlashSaleAudit
        {
            SaleId = saleId,
            Quantity = quantity,
            Confirmed = Confirmed,
            Remaining = remaining,
            Orders = orders,
            Consistent = problems.Count == 0,
            Decisions = Decisions,
            Problems = problems,
        };
    }

    /// <summary>The public view of an entry at <paramref name="position"/>.</summary>
    public static FlashSaleLedgerEntry View(long position, SaleEntry entry) => entry.Kind switch
    {
        SaleEntryKind.Started => new FlashSaleLedgerEntry
        {
            Position = position,
            Kind = FlashSaleLedgerKinds.Started,
            At = entry.At,
            Quantity = entry.Sale?.Quantity,
            Remaining = entry.Sale?.Remaining,
        },
        SaleEntryKind.Decided => new FlashSaleLedgerEntry
        {
            Position = position,
            Kind = FlashSaleLedgerKinds.Decided,
            At = entry.At,
            RequestId = entry.RequestId,
            UserId = entry.UserId,
            Quantity = entry.Quantity,
            Status = entry.Status,
            Remaining = entry.Remaining,
            OrderId = entry.OrderId,
        },
        SaleEntryKind.Banned or SaleEntryKind.Unbanned => new FlashSaleLedgerEntry
        {
            Position = position,
            Kind = entry.Kind == SaleEntryKind.Banned ? FlashSaleLedgerKinds.Banned : FlashSaleLedgerKinds.Unbanned,
            At = entry.At,
            UserId = entry.UserId,
        },
        SaleEntryKind.Ended => new FlashSaleLedgerEntry { Position = position, Kind = FlashSaleLedgerKinds.Ended, At = entry.At, Status = entry.Status },
        SaleEntryKind.StockReturned => new FlashSaleLedgerEntry { Position = position, Kind = FlashSaleLedgerKinds.StockReturned, At = entry.At },
        SaleEntryKind.Delivered => new FlashSaleLedgerEntry
        {
            Position = position,
            Kind = FlashSaleLedgerKinds.Delivered,
            At = entry.At,
            OrderIds = entry.OrderIds ?? [],
        },
        _ => throw new InvalidOperationException($"unknown sale ledger entry kind {entry.Kind}"),
    };
}
