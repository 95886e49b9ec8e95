using Live.Grains.Rooms;

namespace Live.Grains.Tests.Rooms;

public sealed class RoomHeartbeatTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Unseen = TimeSpan.FromSeconds(30);

    [Fact]
    public void AnOpenWatchedRoomBeatsOncePerIntervalTheFirstAnIntervalAfterItsActivation()
    {
        var heartbeat = new RoomHeartbeat(TimeSpan.FromSeconds(5), Start, Unseen);

        Assert.False(heartbeat.Due(Start.AddSeconds(4.9), open: true, viewers: 3));
        Assert.True(heartbeat.Due(Start.AddSeconds(5), open: true, viewers: 3));
        Assert.False(heartbeat.Due(Start.AddSeconds(9), open: true, viewers: 3));
        Assert.True(heartbeat.Due(Start.AddSeconds(10.1), open: true, viewers: 3));
    }

    [Fact]
    public void AnEndedRoomOrAZeroIntervalNeverBeats()
    {
        var ended = new RoomHeartbeat(TimeSpan.FromSeconds(5), Start, Unseen);
        Assert.False(ended.Due(Start.AddMinutes(1), open: false, viewers: 3));

        var off = new RoomHeartbeat(TimeSpan.Zero, Start, Unseen);
        Assert.False(off.Due(Start.AddMinutes(1), open: true, viewers: 3));
    }

    [Fact]
    public void ARoomJustActivatedBeatsBeforeAnyHubHasReportedItsViewers()
    {
        // Reactivated after its silo died: its viewers learn of the new epoch only from the heartbeat.
        var heartbeat = new RoomHeartbeat(TimeSpan.FromSeconds(5), Start, Unseen);

        Assert.True(heartbeat.Due(Start.AddSeconds(5), open: true, viewers: 0));
        Assert.True(heartbeat.Due(Start.AddSeconds(10), open: true, viewers: 0));
    }

    [Fact]
    public void ARoomNobodyHasWatchedSinceItsActivationStopsBeatingAndStartsAgainWithAViewer()
    {
        var heartbeat = new RoomHeartbeat(TimeSpan.FromSeconds(5), Start, Unseen);

        Assert.False(heartbeat.Due(Start.AddSeconds(31), open: true, viewers: 0));
        Assert.False(heartbeat.Due(Start.AddMinutes(5), open: true, viewers: 0));
        Assert.True(heartbeat.Due(Start.AddMinutes(5).AddSeconds(1), open: true, viewers: 1));
    }
}
