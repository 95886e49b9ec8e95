using Live.Grains.Rooms;

namespace Live.Grains.Tests.Rooms;

public sealed class IdleRoomWatchTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Span = TimeSpan.FromHours(1);

    [Fact]
    public void AnUnwatchedQuietRoomIsDueOnceTheWholeSpanHasPassed()
    {
        var watch = new IdleRoomWatch(Span, Start);
        Assert.False(watch.IsDue(Start + Span - TimeSpan.FromTicks(1), viewers: 0));
        Assert.True(watch.IsDue(Start + Span, viewers: 0));
    }

    [Fact]
    public void AnEndThatCouldNotBeStoredIsDueAgainOnlyAfterTheRetryWait()
    {
        var watch = new IdleRoomWatch(Span, Start);
        Assert.True(watch.IsDue(Start + Span, viewers: 0));

        watch.EndFailed(Start + Span);
        Assert.False(watch.IsDue(Start + Span + IdleRoomWatch.RetryAfter - TimeSpan.FromTicks(1), viewers: 0));
        Assert.True(watch.IsDue(Start + Span + IdleRoomWatch.RetryAfter, viewers: 0));
    }

    [Fact]
    public void AnEventStartsTheSpanOver()
    {
        var watch = new IdleRoomWatch(Span, Start);
        watch.Active(Start + TimeSpan.FromMinutes(50));
        Assert.False(watch.IsDue(Start + Span + TimeSpan.FromMinutes(49), viewers: 0));
        Assert.True(watch.IsDue(Start + Span + TimeSpan.FromMinutes(50), viewers: 0));

        // An older time (a clock read before a later one was recorded) does not move the span back.
        watch.Active(Start);
        Assert.True(watch.IsDue(Start + Span + TimeSpan.FromMinutes(50), viewers: 0));
    }

    [Fact]
    public void AWatchedRoomIsNeverDueAndItsSpanStartsWhenTheLastViewerHasGone()
    {
        var watch = new IdleRoomWatch(Span, Start);
        Assert.False(watch.IsDue(Start + (Span * 5), viewers: 1));
        Assert.False(watch.IsDue(Start + (Span * 6) - TimeSpan.FromTicks(1), viewers: 0));
        Assert.True(watch.IsDue(Start + (Span * 6), viewers: 0));
    }

    [Fact]
    public void ZeroTurnsItOff()
    {
        var watch = new IdleRoomWatch(TimeSpan.Zero, Start);
        Assert.False(watch.IsDue(Start + TimeSpan.FromDays(365), viewers: 0));
    }
}
