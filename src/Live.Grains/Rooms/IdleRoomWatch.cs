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
    /// <summary>How long an idle room's end that could not be stored waits before it is tried again.</summary>
    public static readonly TimeSpan RetryAfter = TimeSpan.FromSeconds(10);

    private DateTimeOffset _activeAt = now;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    /// <summary>The end, due at <paramref name="now"/>, could not be stored: not due again before <see cref="RetryAfter"/>.</summary>
    public void EndFailed(DateTimeOffset now) => _retryAt = now + RetryAfter;

    /// <summary>Something happened in the room at <paramref name="now"/>.</summary>
    public void Active(DateTimeOffset now)
    {
        if (now > _activeAt)
        {
            _activeAt = now;
        }
    }

    /// <summary>
    /// True once the room has had no viewer and no event for the whole span, and no end failed in the last
    /// <see cref="RetryAfter"/>; never when the span is zero (off).
    /// </summary>
    public bool IsDue(DateTimeOffset now, long viewers)
    {
        if (viewers > 0)
        {
            Active(now);
            return false;
        }

        return endAfter > TimeSpan.Zero && now - _activeAt >= endAfter && now >= _retryAt;
    }
}
