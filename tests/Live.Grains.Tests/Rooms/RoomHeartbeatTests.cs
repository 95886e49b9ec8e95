using Live.Grains.Rooms;

namespace Live.Grains.Tests.Rooms;

public sealed class RoomHeartbeatTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AnOpenRoomBeatsOncePerIntervalTheFirstAnIntervalAfterItsActivation()
    {
        var heartbeat = new RoomHeartbeat(TimeSpan.FromSeconds(5), Start);

        Assert.False(heartbeat.Due(Start.AddSeconds(4.9), open: true));
        Assert.True(heartbeat.Due(Start.AddSeconds(5), open: true));
        Assert.False(heartbeat.Due(Start.AddSeconds(9), open: true));
        Assert.True(heartbeat.Due(Start.AddSeconds(10.1), open: true));
    }

    [Fact]
    public void AnEndedRoomOrAZeroIntervalNeverBeats()
    {
        var ended = new RoomHeartbeat(TimeSpan.FromSeconds(5), Start);
        Assert.False(ended.Due(Start.AddMinutes(1), open: false));

        var off = new RoomHeartbeat(TimeSpan.Zero, Start);
        Assert.False(off.Due(Start.AddMinutes(1), open: true));
    }
}
