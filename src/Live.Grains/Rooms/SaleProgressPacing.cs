using Live.Contracts.Notifications;

namespace Live.Grains.Rooms;

/// <summary>
/// The room's pace for its sales' <c>FlashSaleUpdated</c>. A sale paces its own progress
/// (<c>FlashSales:ProgressInterval</c>); in a big room (<see cref="ValuePacing"/>) the room sends a sale's progress at
/// most once per its interval and holds the newest that came meanwhile, which replaces any older one held, and goes out
/// at the room's tick once the interval has passed. Folded before the room numbers it, so no viewer sees a hole in
/// <c>seq</c>. The room's own view (its snapshot) takes every progress as it comes.
/// </summary>
internal sealed class SaleProgressPacing(LiveRoomOptions options)
{
    private readonly Dictionary<string, DateTimeOffset> _sentAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FlashSaleUpdatedEvent> _held = new(StringComparer.Ordinal);

    /// <summary>Sales whose progress is held.</summary>
    public int Held => _held.Count;

    /// <summary>Sales whose last send is remembered (bounded by the room's sales: an end forgets it).</summary>
    public int Remembered => _sentAt.Count;

    /// <summary><paramref name="update"/> to send now, or null when it is held (in place of the sale's held one).</summary>
    public FlashSaleUpdatedEvent? Offer(FlashSaleUpdatedEvent update, long viewers, DateTimeOffset now)
    {
        var saleId = update.Progress.SaleId;
        if (_sentAt.TryGetValue(saleId, out var sentAt) && now - sentAt < Interval(viewers))
        {
            _held[saleId] = update;
            return null;
        }

        _held.Remove(saleId);
        _sentAt[saleId] = now;
        return update;
    }

    /// <summary>The held progress whose sale's interval has passed, to send now (oldest sale first is not promised).</summary>
    public IReadOnlyList<FlashSaleUpdatedEvent> Due(long viewers, DateTimeOffset now)
    {
        if (_held.Count == 0)
        {
            return [];
        }

        var interval = Interval(viewers);
        var due = _held.Where(h => now - _sentAt[h.Key] >= interval).Select(h => h.Value).ToList();
        foreach (var update in due)
        {
            _held.Remove(update.Progress.SaleId);
            _sentAt[update.Progress.SaleId] = now;
        }

        return due;
    }

    /// <summary>Every held progress, to send now (the room is going away).</summary>
    public IReadOnlyList<FlashSaleUpdatedEvent> TakeHeld()
    {
        var held = _held.Values.ToList();
        _held.Clear();
        return held;
    }

    /// <summary>A sale that ended: its end carries its last state, so progress held for it is older and is dropped.</summary>
    public void Ended(string saleId)
    {
        _held.Remove(saleId);
        _sentAt.Remove(saleId);
    }

    private TimeSpan Interval(long viewers) => ValuePacing.Interval(TimeSpan.Zero, viewers, options);
}
