using Live.Contracts.Notifications;

namespace Live.Grains.Notifications;

/// <summary>
/// Where a room hands the events it has numbered, on their way to the hub servers (<see cref="RoomEventPublisher"/>).
/// Only the room grain publishes: it is the one sequencer of its room's stream. Never blocks the grain.
/// </summary>
internal interface IRoomEventPublisher
{
    void Publish(RoomEvent roomEvent);
}
