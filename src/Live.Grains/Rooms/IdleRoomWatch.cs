namespace Live.Grains.Rooms;

/// <summary>
/// When a live room that nobody watches, and where nothing happens, ends by itself (<see cref="LiveRoomOptions.EndIdleAfter"/>):
/// a host whose console died without ending the show would otherwise leave the room live for good, listed among the
/// directory's live rooms and woken by every silo's open-room sweep each minute. A viewer reported by a hub server, or
/// any event the room sends (chat, likes, a pin, a sale's progress, the viewer count changing), keeps it live. The span
/// is measured from this activation's start at the earliest: a restart gives the room the whole span again.
/// </summary>
internal sealed class IdleRoomWatch(TimeSpan endAfter, DateTimeOffset now)
{
    private DateTimeOffset _activeAt = now;

    /// <summary>Something happened in the room at <paramref name="now"/>.</summary>
    public void Active(DateTimeOffset now)
    {
        if (now > _activeAt)
        {
            _activeAt = now;
        }
    }

    /// <summary>True once the room has had no viewer and no event for the whole span; never when the span is zero (off).</summary>
    public bool IsDue(DateTimeOffset now, long viewers)
    {
        if (viewers > 0)
        {
            Active(now);
            return false;
        }

        return endAfter > TimeSpan.Zero && now - _activeAt >= endAfter;
    }
}
