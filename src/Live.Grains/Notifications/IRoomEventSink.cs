using Live.Contracts.Notifications;

namespace Live.Grains.Notifications;

/// <summary>
/// Where grains other than the room (a flash sale) hand the events their room's viewers must see. Never blocks the
/// grain. The events go through the room (<see cref="RoomEventRouter"/>), which numbers them in its stream.
/// </summary>
internal interface IRoomEventSink
{
    void Publish(RoomEvent roomEvent);
}
