using Live.Contracts.Rooms;
using Live.Grains.Rooms;

namespace Live.Grains.Tests.Rooms;

public sealed class RoomDirectoryRulesTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void EveryLiveAndScheduledRoomIsKeptAndOnlyTheNewestEndedOnes()
    {
        var rooms = new[]
        {
            Room("live_old", RoomStatus.Live, hoursAgo: 100),
            Room("scheduled_old", RoomStatus.Scheduled, hoursAgo: 90),
            Room("ended_oldest", RoomStatus.Ended, hoursAgo: 30),
            Room("ended_middle", RoomStatus.Ended, hoursAgo: 20),
            Room("ended_newest", RoomStatus.Ended, hoursAgo: 10),
        }.ToDictionary(r => r.Id);

        Assert.Equal(1, RoomDirectoryRules.Trim(rooms, endedKept: 2));
        Assert.Equal(["ended_middle", "ended_newest", "live_old", "scheduled_old"], rooms.Keys.Order(StringComparer.Ordinal));

        Assert.Equal(0, RoomDirectoryRules.Trim(rooms, endedKept: 2));
        Assert.Equal(2, RoomDirectoryRules.Trim(rooms, endedKept: 0));
        Assert.Equal(["live_old", "scheduled_old"], rooms.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ScheduledRoomsCreatedBeforeTheCutoffAreDroppedAndLiveAndEndedOnesStay()
    {
        var rooms = new[]
        {
            Room("scheduled_stale", RoomStatus.Scheduled, hoursAgo: 200),
            Room("scheduled_at_cutoff", RoomStatus.Scheduled, hoursAgo: 99),
            Room("scheduled_new", RoomStatus.Scheduled, hoursAgo: 1),
            Room("live_old", RoomStatus.Live, hoursAgo: 300),
            Room("ended_old", RoomStatus.Ended, hoursAgo: 300),
        }.ToDictionary(r => r.Id);

        // Room() creates a room an hour before hoursAgo: the one at the cutoff was created exactly at it and stays.
        Assert.Equal(1, RoomDirectoryRules.DropStaleScheduled(rooms, createdBefore: Start.AddHours(-100)));
        Assert.Equal(["ended_old", "live_old", "scheduled_at_cutoff", "scheduled_new"], rooms.Keys.Order(StringComparer.Ordinal));

        Assert.Equal(0, RoomDirectoryRules.DropStaleScheduled(rooms, createdBefore: Start.AddHours(-100)));
        Assert.Equal(2, RoomDirectoryRules.DropStaleScheduled(rooms, createdBefore: Start));
        Assert.Equal(["ended_old", "live_old"], rooms.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void OnlyTheNewestScheduledRoomsAreListedPastTheCountLiveAndEndedOnesAreNotCounted()
    {
        var rooms = new Dictionary<string, Room>();
        foreach (var room in new[]
        {
            Room("scheduled_3h", RoomStatus.Scheduled, hoursAgo: 3),
            Room("scheduled_2h", RoomStatus.Scheduled, hoursAgo: 2),
            Room("scheduled_1h", RoomStatus.Scheduled, hoursAgo: 1),
            Room("live_5h", RoomStatus.Live, hoursAgo: 5),
            Room("ended_5h", RoomStatus.Ended, hoursAgo: 5),
        })
        {
            rooms[room.Id] = room;
        }

        Assert.Equal(1, RoomDirectoryRules.DropStaleScheduled(rooms, createdBefore: Start.AddDays(-7), kept: 2));
        Assert.Equal(["ended_5h", "live_5h", "scheduled_1h", "scheduled_2h"], rooms.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(0, RoomDirectoryRules.DropStaleScheduled(rooms, createdBefore: Start.AddDays(-7), kept: 2));
    }

    [Fact]
    public void TheDefaultListsAScheduledRoomForAWeek() => Assert.Equal(TimeSpan.FromDays(7), new RoomDirectoryOptions().ScheduledRoomsKeptFor);

    [Fact]
    public void TheDefaultKeepsAThousandEndedRooms() => Assert.Equal(1000, new RoomDirectoryOptions().EndedRoomsKept);

    private static Room Room(string id, string status, int hoursAgo) => new()
    {
        Id = id,
        HostId = "host_1",
        Title = id,
        Status = status,
        CreatedAt = Start.AddHours(-hoursAgo - 1),
        StartedAt = status == RoomStatus.Scheduled ? null : Start.AddHours(-hoursAgo - 1),
        EndedAt = status == RoomStatus.Ended ? Start.AddHours(-hoursAgo) : null,
    };
}
