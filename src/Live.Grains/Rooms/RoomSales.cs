using Live.Contracts.FlashSales;

namespace Live.Grains.Rooms;

/// <summary>The room's open flash sales (its stored list, in start order) as their grains last reported them.</summary>
internal sealed class RoomSales(List<FlashSale> sales)
{
    /// <summary>How long past its end a sale may stay open before the room checks on it, and how often it checks.</summary>
    public static readonly TimeSpan EndGrace = TimeSpan.FromSeconds(2);

    /// <summary>
    /// How long the room waits for an ended sale's own <c>FlashSaleEnded</c> after the sale reported its end, before it
    /// sends one itself.
    /// </summary>
    public static readonly TimeSpan EndAnnouncementGrace = TimeSpan.FromSeconds(10);

    private DateTimeOffset _checkedAt;
    private readonly HashSet<string> _seenEnded = new(StringComparer.Ordinal);

    // Sales that reported their end (and left the list) whose FlashSaleEnded has not reached the room yet, by when they
    // reported it. In memory: a room whose activation is lost starts a new epoch, whose snapshot no longer lists them.
    private readonly Dictionary<string, (FlashSale Sale, DateTimeOffset ReportedAt)> _endsOwed = new(StringComparer.Ordinal);

    public FlashSale[] ToArray() => sales.ToArray();

    /// <summary>How many sales the room lists open.</summary>
    public int Count => sales.Count;

    public void Add(FlashSale sale) => sales.Add(sale);

    /// <summary>The listed sale with <paramref name="saleId"/>, or null.</summary>
    public FlashSale? Find(string saleId) => sales.Find(s => s.Id == saleId);

    public void Clear()
    {
        sales.Clear();
        _seenEnded.Clear();
        _endsOwed.Clear();
    }

    public void Remove(string saleId)
    {
        sales.RemoveAll(s => s.Id == saleId);
        _seenEnded.Remove(saleId);
    }

    /// <summary>
    /// Takes a sale's report: an active sale replaces its entry, any other status closes it. A sale the room does not
    /// list is ignored. Whether the list changed.
    /// </summary>
    public bool Apply(FlashSale sale)
    {
        var index = sales.FindIndex(s => s.Id == sale.Id);
        if (index < 0)
        {
            return false;
        }

        if (sale.Status == SaleStatus.Active)
        {
            sales[index] = sale;
        }
        else
        {
            // Closed: what the overdue check remembered of it goes too (it only ever concerns listed sales).
            sales.RemoveAt(index);
            _seenEnded.Remove(sale.Id);
        }

        return true;
    }

    /// <summary>
    /// Takes a sale's own report (<c>SaleChangedAsync</c>) as <see cref="Apply"/> does; an end taken out of the list this
    /// way is owed its <c>FlashSaleEnded</c> until <see cref="Announced"/> says it came (see <see cref="EndsOwed"/>).
    /// </summary>
    public bool ApplyReport(FlashSale sale, DateTimeOffset now)
    {
        if (!Apply(sale))
        {
            return false;
        }

        if (sale.Status != SaleStatus.Active)
        {
            _endsOwed[sale.Id] = (sale, now);
        }

        return true;
    }

    /// <summary>The sale's <c>FlashSaleEnded</c> reached the room: nothing is owed for it.</summary>
    public void Announced(string saleId) => _endsOwed.Remove(saleId);

    /// <summary>
    /// The ended sales whose own <c>FlashSaleEnded</c> has not come <see cref="EndAnnouncementGrace"/> after they reported
    /// their end (its server died with the announcement queued): the room sends it for them, once.
    /// </summary>
    public IReadOnlyList<FlashSale> EndsOwed(DateTimeOffset now)
    {
        if (_endsOwed.Count == 0)
        {
            return [];
        }

        var due = _endsOwed.Values.Where(o => now - o.ReportedAt >= EndAnnouncementGrace).Select(o => o.Sale).ToArray();
        foreach (var sale in due)
        {
            _endsOwed.Remove(sale.Id);
        }

        return due;
    }

    /// <summary>Whether an ended sale's announcement is still awaited (the room's tick must keep running for it).</summary>
    public bool OwesEnds => _endsOwed.Count > 0;

    /// <summary>
    /// Takes a sale's progress (units left) into its entry, so a snapshot agrees with the <c>FlashSaleUpdated</c> the
    /// room sent. A sale the room does not list is ignored. Whether the list changed.
    /// </summary>
    public bool ApplyProgress(FlashSaleProgress progress)
    {
        var index = sales.FindIndex(s => s.Id == progress.SaleId);
        if (index < 0 || sales[index].Remaining == progress.Remaining)
        {
            return false;
        }

        sales[index] = sales[index] with { Remaining = progress.Remaining };
        return true;
    }

    /// <summary>
    /// An overdue sale answered the room's check as ended: true when it had already at an earlier check, so its own
    /// announcement of the end (which a sale woken by the check makes within moments) never came: the sale's server
    /// died between writing its end and telling the room, and the room must tell the viewers itself. False the first
    /// time.
    /// </summary>
    public bool EndedAgain(string saleId) => !_seenEnded.Add(saleId);

    /// <summary>
    /// The sales past their end by <see cref="EndGrace"/> or more, which the room should ask for their state; empty
    /// when it last asked less than <see cref="EndGrace"/> ago.
    /// </summary>
    public IReadOnlyList<FlashSale> OverdueToCheck(DateTimeOffset now)
    {
        if (now - _checkedAt < EndGrace)
        {
            return [];
        }

        _checkedAt = now;
        return sales.Where(s => s.EndsAt + EndGrace <= now).ToArray();
    }
}
