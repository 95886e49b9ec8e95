namespace Live.Grains.Rooms;

/// <summary>
/// How often a room sends a kind of latest-value event (viewer count, like total, a sale's progress), by its size.
/// Each such event is one frame to every viewer, on every hub server, and the hubs' frame budget paces chat only
/// (docs/ARCHITECTURE.md): left at fixed intervals, a 5,000-viewer room with likes and a sale sent about 5 value
/// events a viewer a second beside its chat, and its chat's p99 went from under 0.5 s to 6–13 s (docs/PERF.md §33).
/// The room folds them at their source instead, before they are numbered, so no viewer sees a hole in <c>seq</c>.
/// </summary>
internal static class ValuePacing
{
    /// <summary>
    /// <paramref name="ownInterval"/>, or longer in a big room: viewers / <see cref="LiveRoomOptions.ValueFramesPerSecond"/>
    /// seconds, up to <see cref="LiveRoomOptions.MaxValueInterval"/> (never shorter than the event's own interval).
    /// </summary>
    public static TimeSpan Interval(TimeSpan ownInterval, long viewers, LiveRoomOptions options)
    {
        var bySize = TimeSpan.FromSeconds(Math.Max(0, viewers) / (double)options.ValueFramesPerSecond);
        var longest = options.MaxValueInterval > ownInterval ? options.MaxValueInterval : ownInterval;
        return bySize <= ownInterval ? ownInterval : bySize >= longest ? longest : bySize;
    }
}
