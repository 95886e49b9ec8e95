using Live.Contracts.Notifications;

namespace Live.Grains.Notifications;

/// <summary>Where grains hand the events their room's viewers must see. Never blocks the grain.</summary>
internal interface IRoomEventSink
{
    void Publish(RoomEvent roomEvent);
}
