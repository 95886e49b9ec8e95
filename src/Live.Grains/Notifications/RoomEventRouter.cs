using Live.Contracts.Notifications;
using Live.Contracts.Rooms;

namespace Live.Grains.Notifications;

/// <summary>
/// Hands another grain's room event (a sale's progress or end) to its room, which numbers it and sends it with the
/// rest of its stream: a room has one sequencer, so a viewer sees the sale's events in the room's order and can
/// resume them like any other. A one-way call, as the direct publish it replaces never waited either; calls from one
/// activation to another arrive in the order they were made.
/// </summary>
internal sealed class RoomEventRouter(IGrainFactory grains) : IRoomEventSink
{
    public void Publish(RoomEvent roomEvent) =>
        _ = grains.GetGrain<ILiveRoomGrain>(roomEvent.RoomId).AnnounceAsync(roomEvent);
}
