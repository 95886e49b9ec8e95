using Live.Contracts.Notifications;
using Live.Contracts.Rooms;
using Live.Grains.Rooms;
using Live.Grains.Tests.Infrastructure;
using Live.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Live.Grains.Tests.Failures;

/// <summary>
/// The room directory is a listing beside the rooms: a room whose change is stored but whose directory write failed
/// answers the change, sends its event, and lists itself once the directory can take it; a listing left behind by a
/// room's dead activation is corrected by the open-room sweep. Without that, a failed write left "live" rooms in the
/// listing for ever, and the retry of a start found the room live and neither listed it nor sent StreamStarted.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RoomDirectoryFailureTests(ClusterFixture fixture)
{
    // The directory is the one grain of integer key 0.
    private const string DirectoryKey = "0";

    private static readonly LiveRoomOptions Defaults = new();

    private IGrainFactory Grains => fixture.Client;

    private IRoomDirectoryGrain Directory => Grains.GetGrain<IRoomDirectoryGrain>(0);

    [Fact]
    public async Task AStartTheDirectoryCouldNotTakeIsAnsweredSentAndListedByTheRoomsTick()
    {
        var (room, roomId, hostId) = await Grains.CreateRoomAsync();
        var fault = fixture.Faults.FailNext(StateNames.RoomDirectory, DirectoryKey);

        var started = await room.StartAsync(hostId);
        Assert.Equal(RoomStatus.Live, started.Status);
        Assert.Equal(1, fault.Hits);
        Assert.Equal(started, (await fixture.Events.WaitForAsync<StreamStartedEvent>(roomId, _ => true, "StreamStarted")).Room);
        Assert.Equal(RoomStatus.Scheduled, (await ListingAsync(roomId))?.Status);

        Assert.Equal(started, await ListedAsync(roomId, RoomStatus.Live));
        Assert.Single(fixture.Events.EventsOf<StreamStartedEvent>(roomId));
    }

    [Fact]
    public async Task AnEndTheDirectoryCouldNotTakeIsAnsweredSentAndListedByTheRoomsTick()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var fault = fixture.Faults.FailNext(StateNames.RoomDirectory, DirectoryKey);

        var ended = await room.EndAsync(hostId);
        Assert.Equal(RoomStatus.Ended, ended.Status);
        Assert.Equal(1, fault.Hits);
        Assert.Equal(ended, (await fixture.Events.WaitForAsync<StreamEndedEvent>(roomId, _ => true, "StreamEnded")).Room);

        Assert.Equal(ended, await ListedAsync(roomId, RoomStatus.Ended));
    }

    [Fact]
    public async Task ALiveListingWhoseRoomEndedAndLostItsActivationIsCorrectedByTheOpenRoomSweep()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var fault = fixture.Faults.FailNext(StateNames.RoomDirectory, DirectoryKey);
        var ended = await room.EndAsync(hostId);
        Assert.Equal(1, fault.Hits);

        // The activation that would have told the directory again goes away first (as with its silo's death).
        await fixture.Cluster.DeactivateAsync(room);
        Assert.Equal(RoomStatus.Live, (await ListingAsync(roomId))?.Status);

        await new OpenRoomSweep(Grains, NullLogger<OpenRoomSweep>.Instance).SweepAsync();
        Assert.Equal(ended, await ListingAsync(roomId));
    }

    [Fact]
    public async Task ARepeatedStartTellsTheDirectoryAgain()
    {
        var (room, roomId, hostId) = await Grains.CreateRoomAsync();
        fixture.Faults.FailNext(StateNames.RoomDirectory, DirectoryKey);
        var started = await room.StartAsync(hostId);

        // The activation that would have told the directory again goes away; the host's retry tells it.
        await fixture.Cluster.DeactivateAsync(room);
        Assert.Equal(RoomStatus.Scheduled, (await ListingAsync(roomId))?.Status);
        Assert.Equal(started, await room.StartAsync(hostId));
        Assert.Equal(started, await ListingAsync(roomId));
    }

    private async Task<Room?> ListingAsync(string roomId) => (await Directory.ListAsync(null)).SingleOrDefault(r => r.Id == roomId);

    /// <summary>The room's listing once it has <paramref name="status"/>, ticking the fake clock meanwhile.</summary>
    private Task<Room?> ListedAsync(string roomId, string status) =>
        Eventually.GetAsync(
            $"room {roomId} listed {status}",
            async () =>
            {
                fixture.Advance(Defaults.ChatTick);
                return await ListingAsync(roomId);
            },
            r => r?.Status == status,
            TimeSpan.FromSeconds(10));
}
