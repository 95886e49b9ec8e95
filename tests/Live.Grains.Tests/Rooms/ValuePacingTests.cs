using Live.Grains.Rooms;

namespace Live.Grains.Tests.Rooms;

public sealed class ValuePacingTests
{
    private static readonly LiveRoomOptions Options = new() { ValueFramesPerSecond = 2_000, MaxValueInterval = TimeSpan.FromSeconds(5) };

    [Theory]
    [InlineData(0, 500)]
    [InlineData(1_000, 500)]   // 0.5 s by size: the event's own interval
    [InlineData(2_000, 1_000)]
    [InlineData(5_000, 2_500)] // each kind every 2.5 s: 2,000 viewer-frames a second
    [InlineData(10_000, 5_000)]
    [InlineData(1_000_000, 5_000)] // never past the longest wait
    public void AKindsIntervalGrowsWithTheRoomFromItsOwnUpToTheLongest(long viewers, int expectedMs)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), ValuePacing.Interval(TimeSpan.FromMilliseconds(500), viewers, Options));
    }

    [Fact]
    public void AnOwnIntervalLongerThanTheLongestWaitIsKept()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), ValuePacing.Interval(TimeSpan.FromSeconds(30), 1_000_000, Options));
    }

    [Fact]
    public void WithNoOwnIntervalASmallRoomSendsAtOnce()
    {
        Assert.Equal(TimeSpan.Zero, ValuePacing.Interval(TimeSpan.Zero, 0, Options));
        Assert.Equal(TimeSpan.FromMilliseconds(50), ValuePacing.Interval(TimeSpan.Zero, 100, Options));
    }
}
