using Live.Grains.Rooms;
using Microsoft.Extensions.Time.Testing;

namespace Live.Grains.Tests.Rooms;

public sealed class RoomCountersTests
{
    private const string RoomId = "room-1";

    private static readonly LiveRoomOptions Options = new()
    {
        LikesInterval = TimeSpan.FromMilliseconds(500),
        ViewersInterval = TimeSpan.FromSeconds(1),
        ViewerReportExpiry = TimeSpan.FromSeconds(30),
    };

    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void LikesAsStoredAtActivationAreNotPublishedAgain()
    {
        var counters = new RoomCounters(RoomId, 10, Options);

        Assert.Null(counters.LikesUpdate(10, _time.GetUtcNow()));
    }

    [Fact]
    public void TheFirstChangeInLikesGoesOutAtOnce()
    {
        var counters = new RoomCounters(RoomId, 10, Options);

        var update = counters.LikesUpdate(11, _time.GetUtcNow());

        Assert.NotNull(update);
        Assert.Equal((RoomId, 11L), (update.RoomId, update.Likes));
    }

    [Fact]
    public void LikesAreCoalescedWithinLikesInterval()
    {
        var counters = new RoomCounters(RoomId, 0, Options);
        Assert.Equal(1, counters.LikesUpdate(1, _time.GetUtcNow())?.Likes);

        _time.Advance(TimeSpan.FromMilliseconds(499));
        Assert.Null(counters.LikesUpdate(20, _time.GetUtcNow()));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(25, counters.LikesUpdate(25, _time.GetUtcNow())?.Likes);
        Assert.Null(counters.LikesUpdate(25, _time.GetUtcNow() + Options.LikesInterval));
    }

    [Fact]
    public void ABigRoomsLikesAndViewersGoOutLessOften()
    {
        // 5,000 viewers at 2,000 viewer-frames a second for each kind: every 2.5 s instead of 0.5 s and 1 s.
        var options = new LiveRoomOptions
        {
            LikesInterval = Options.LikesInterval,
            ViewersInterval = Options.ViewersInterval,
            ViewerReportExpiry = Options.ViewerReportExpiry,
            ValueFramesPerSecond = 2_000,
            MaxValueInterval = TimeSpan.FromSeconds(5),
        };
        var counters = new RoomCounters(RoomId, 0, options);
        counters.ReportViewers("hub-1", 5_000, _time.GetUtcNow());
        Assert.Equal(5_000, counters.ViewersUpdate(_time.GetUtcNow())?.Viewers);
        Assert.Equal(1, counters.LikesUpdate(1, _time.GetUtcNow())?.Likes);

        _time.Advance(TimeSpan.FromMilliseconds(2_499));
        counters.ReportViewers("hub-1", 4_999, _time.GetUtcNow()); // 2.4995 s
        Assert.Null(counters.LikesUpdate(50, _time.GetUtcNow()));
        Assert.Null(counters.ViewersUpdate(_time.GetUtcNow()));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(60, counters.LikesUpdate(60, _time.GetUtcNow())?.Likes);
        Assert.Equal(4_999, counters.ViewersUpdate(_time.GetUtcNow())?.Viewers);
    }

    [Fact]
    public void ViewerReportsOfHubsAreSummedAndAHubsNewReportReplacesItsLast()
    {
        var counters = new RoomCounters(RoomId, 0, Options);

        counters.ReportViewers("hub-a", 7, _time.GetUtcNow());
        counters.ReportViewers("hub-b", 5, _time.GetUtcNow());
        Assert.Equal(12, counters.Viewers(_time.GetUtcNow()));

        counters.ReportViewers("hub-a", 2, _time.GetUtcNow());
        Assert.Equal(7, counters.Viewers(_time.GetUtcNow()));
    }

    [Fact]
    public void TheReportsOfHubsGoneAreDroppedNotKeptForever()
    {
        var counters = new RoomCounters(RoomId, 0, Options);

        // Each restart of a hub server reports under a new id; the old ids stop reporting.
        for (var restart = 0; restart < 20; restart++)
        {
            counters.ReportViewers($"hub-{restart}", 3, _time.GetUtcNow());
            _time.Advance(TimeSpan.FromSeconds(20));
        }

        counters.ReportViewers("hub-now", 4, _time.GetUtcNow());
        Assert.Equal(2, counters.Reports);
        Assert.Equal(7, counters.Viewers(_time.GetUtcNow()));
    }

    [Fact]
    public void ANegativeViewerReportCountsAsNone()
    {
        var counters = new RoomCounters(RoomId, 0, Options);

        counters.ReportViewers("hub-a", 4, _time.GetUtcNow());
        counters.ReportViewers("hub-b", -3, _time.GetUtcNow());

        Assert.Equal(4, counters.Viewers(_time.GetUtcNow()));
    }

    [Fact]
    public void AViewerReportCountsUntilViewerReportExpiryHasPassed()
    {
        var counters = new RoomCounters(RoomId, 0, Options);
        counters.ReportViewers("hub-a", 7, _time.GetUtcNow());
        _time.Advance(TimeSpan.FromSeconds(10));
        counters.ReportViewers("hub-b", 5, _time.GetUtcNow());

        _time.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal(12, counters.Viewers(_time.GetUtcNow()));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(5, counters.Viewers(_time.GetUtcNow()));
    }

    [Fact]
    public void ViewerCountsAreCoalescedWithinViewersInterval()
    {
        var counters = new RoomCounters(RoomId, 0, Options);
        Assert.Null(counters.ViewersUpdate(_time.GetUtcNow()));

        counters.ReportViewers("hub-a", 7, _time.GetUtcNow());
        var first = counters.ViewersUpdate(_time.GetUtcNow());
        Assert.NotNull(first);
        Assert.Equal((RoomId, 7L), (first.RoomId, first.Viewers));

        _time.Advance(TimeSpan.FromMilliseconds(999));
        counters.ReportViewers("hub-a", 9, _time.GetUtcNow());
        Assert.Null(counters.ViewersUpdate(_time.GetUtcNow()));

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(9, counters.ViewersUpdate(_time.GetUtcNow())?.Viewers);
        Assert.Null(counters.ViewersUpdate(_time.GetUtcNow() + Options.ViewersInterval));
    }

    [Fact]
    public void AHubGoneSilentIsPublishedAsViewersLeaving()
    {
        var counters = new RoomCounters(RoomId, 0, Options);
        counters.ReportViewers("hub-a", 7, _time.GetUtcNow());
        Assert.Equal(7, counters.ViewersUpdate(_time.GetUtcNow())?.Viewers);

        _time.Advance(Options.ViewerReportExpiry + TimeSpan.FromTicks(1));

        Assert.Equal(0, counters.ViewersUpdate(_time.GetUtcNow())?.Viewers);
    }
}
