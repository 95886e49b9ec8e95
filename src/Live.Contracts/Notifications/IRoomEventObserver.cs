namespace Live.Contracts.Notifications;

/// <summary>
/// One per hub server (the GPSTracker sample's pattern): the silo pushes batches of room events to it and the
/// hub server sends each to its SignalR group.
/// </summary>
[Alias("live.IRoomEventObserver")]
public interface IRoomEventObserver : IGrainObserver
{
    [Alias("OnRoomEvents")]
    Task OnRoomEventsAsync(IReadOnlyList<RoomEvent> events);
}
