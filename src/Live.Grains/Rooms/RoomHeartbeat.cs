namespace Live.Grains.Rooms;

/// <summary>
/// When a room publishes its heartbeat (<c>RoomHeartbeat</c>, PROTOCOL v1.5): once per <paramref name="interval"/>
/// while it is open and watched, the first one an interval after the room's activation; never with a zero interval.
/// A room is watched while a hub server reports viewers of it, and for <paramref name="unseenFor"/> after its
/// activation whatever the reports say: a room reactivated after its silo died has heard from no hub yet, and its
/// viewers learn of its new epoch only from the heartbeat. A room nobody watches costs no publish.
/// </summary>
internal sealed class RoomHeartbeat(TimeSpan interval, DateTimeOffset activatedAt, TimeSpan unseenFor)
{
    private readonly DateTimeOffset _activatedAt = activatedAt;
    private DateTimeOffset _lastAt = activatedAt;

    /// <summary>Whether one is due now; if so, the next is due an interval from now.</summary>
    /// <param name="now">The time.</param>
    /// <param name="open">Whether the room is open (scheduled or live).</param>
    /// <param name="viewers">Its viewers, as the hub servers last reported them.</param>
    public bool Due(DateTimeOffset now, bool open, long viewers)
    {
        var watched = viewers > 0 || now - _activatedAt < unseenFor;
        if (interval <= TimeSpan.Zero || !open || !watched || now - _lastAt < interval)
        {
            return false;
        }

        _lastAt = now;
        return true;
    }
}
