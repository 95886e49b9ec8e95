namespace Live.Grains.Rooms;

/// <summary>
/// When a room publishes its heartbeat (<c>RoomHeartbeat</c>, PROTOCOL v1.5): once per <paramref name="interval"/>
/// while it is open, the first one an interval after the room's activation; never with a zero interval.
/// </summary>
internal sealed class RoomHeartbeat(TimeSpan interval, DateTimeOffset activatedAt)
{
    private DateTimeOffset _lastAt = activatedAt;

    /// <summary>Whether one is due now; if so, the next is due an interval from now.</summary>
    public bool Due(DateTimeOffset now, bool open)
    {
        if (interval <= TimeSpan.Zero || !open || now - _lastAt < interval)
        {
            return false;
        }

        _lastAt = now;
        return true;
    }
}
