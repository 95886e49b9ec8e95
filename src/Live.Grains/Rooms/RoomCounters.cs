using Live.Contracts.Notifications;

namespace Live.Grains.Rooms;

/// <summary>
/// The room's likes and viewers as its viewers see them: a changed count goes out at most once per
/// <see cref="LiveRoomOptions.LikesInterval"/> / <see cref="LiveRoomOptions.ViewersInterval"/>, however fast it
/// changes, and less often in a big room (<see cref="ValuePacing"/>). Viewers are what each hub last reported, until <see cref="LiveRoomOptions.ViewerReportExpiry"/> takes
/// a silent hub for gone.
/// </summary>
internal sealed class RoomCounters(string roomId, long publishedLikes, LiveRoomOptions options)
{
    private readonly Dictionary<string, (int Viewers, DateTimeOffset At)> _viewerReports = [];
    private long _publishedLikes = publishedLikes;
    private long _publishedViewers;
    private DateTimeOffset _likesPublishedAt;
    private DateTimeOffset _viewersPublishedAt;

    /// <summary>
    /// A hub's report replaces its previous one. Reports past <see cref="LiveRoomOptions.ViewerReportExpiry"/> are
    /// dropped here: each hub restart brings a new hub id, so the reports of hubs gone would otherwise stay.
    /// </summary>
    public void ReportViewers(string hubId, int viewers, DateTimeOffset now)
    {
        _viewerReports[hubId] = (Math.Max(0, viewers), now);
        var cutoff = now - options.ViewerReportExpiry;
        foreach (var (id, (_, at)) in _viewerReports)
        {
            if (at < cutoff)
            {
                _viewerReports.Remove(id);
            }
        }
    }

    /// <summary>How many hubs' reports are kept (expired ones go at the next report).</summary>
    public int Reports => _viewerReports.Count;

    public long Viewers(DateTimeOffset now)
    {
        var cutoff = now - options.ViewerReportExpiry;
        long total = 0;
        foreach (var (viewers, at) in _viewerReports.Values)
        {
            if (at >= cutoff)
            {
                total += viewers;
            }
        }

        return total;
    }

    /// <summary>The update to publish for <paramref name="likes"/> now, or null when it is unchanged or too soon.</summary>
    public LikesUpdatedEvent? LikesUpdate(long likes, DateTimeOffset now)
    {
        if (likes == _publishedLikes || now - _likesPublishedAt < ValuePacing.Interval(options.LikesInterval, Viewers(now), options))
        {
            return null;
        }

        _publishedLikes = likes;
        _likesPublishedAt = now;
        return new LikesUpdatedEvent { RoomId = roomId, Likes = likes };
    }

    /// <summary>The viewer count to publish now, or null when it is unchanged or too soon.</summary>
    public ViewerCountEvent? ViewersUpdate(DateTimeOffset now)
    {
        var viewers = Viewers(now);
        if (viewers == _publishedViewers || now - _viewersPublishedAt < ValuePacing.Interval(options.ViewersInterval, viewers, options))
        {
            return null;
        }

        _publishedViewers = viewers;
        _viewersPublishedAt = now;
        return new ViewerCountEvent { RoomId = roomId, Viewers = viewers };
    }
}
