using Live.Contracts.Notifications;

namespace Live.Grains.FlashSales;

/// <summary>
/// The room events a sale still owes its room (<c>FlashSaleUpdated</c>, <c>FlashSaleEnded</c>), oldest first: the
/// sale's outbox towards the room, which numbers them in its stream. An event leaves only once the room has answered
/// its call (<see cref="Delivered"/>); a failed call leaves it first in line for the next attempt, so every event
/// reaches the room, in order, at least once. Progress is latest-value: a newer <see cref="FlashSaleUpdatedEvent"/>
/// replaces one still waiting (not the one in flight), so the queue holds at most a progress and an end per sale.
/// </summary>
/// <remarks>Used by one grain activation (one thread at a time): not thread-safe.</remarks>
internal sealed class RoomAnnouncements
{
    private readonly List<RoomEvent> _pending = [];
    private bool _inFlight;

    public bool HasPending => _pending.Count > 0;

    public int Count => _pending.Count;

    /// <summary>Queues <paramref name="roomEvent"/> behind the others; a waiting progress of the same sale is replaced.</summary>
    public void Add(RoomEvent roomEvent)
    {
        if (roomEvent is FlashSaleUpdatedEvent progress)
        {
            // The head is in flight while a call runs: it stays (the room may have numbered it already).
            var from = _inFlight ? 1 : 0;
            var waiting = _pending.FindIndex(from, e => e is FlashSaleUpdatedEvent p && p.Progress.SaleId == progress.Progress.SaleId);
            if (waiting >= 0)
            {
                _pending.RemoveAt(waiting);
            }
        }

        _pending.Add(roomEvent);
    }

    /// <summary>
    /// The oldest event, now in flight; null when nothing waits or a call is already in flight (one call at a time keeps
    /// the room's order).
    /// </summary>
    public RoomEvent? Next()
    {
        if (_inFlight || _pending.Count == 0)
        {
            return null;
        }

        _inFlight = true;
        return _pending[0];
    }

    /// <summary>The room answered the call for the event in flight: it leaves the queue.</summary>
    public void Delivered()
    {
        if (_inFlight)
        {
            _pending.RemoveAt(0);
            _inFlight = false;
        }
    }

    /// <summary>The call for the event in flight failed: it stays first in line.</summary>
    public void Failed() => _inFlight = false;
}
