namespace Live.Grains.Notifications;

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

/// <summary>
/// A hub server as the directory knows it. Hub servers that share a SignalR backplane share a
/// <see cref="Backplane"/> name: an event handed to any one of them reaches the viewers of all of them, so the
/// silo hands each event to exactly one hub per backplane. A hub without a backplane has a name of its own.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.HubRegistration")]
public sealed record HubRegistration
{
    [Id(0)] public required string HubId { get; init; }
    [Id(1)] public required string Backplane { get; init; }
    [Id(2)] public required IRoomEventObserver Observer { get; init; }
    [Id(3)] public DateTimeOffset LastSeen { get; init; }
}

/// <summary>The live hub servers. Hubs refresh their entry periodically; entries not refreshed expire.</summary>
[Alias("live.IHubDirectoryGrain")]
public interface IHubDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Register")]
    Task RegisterAsync(HubRegistration registration);

    [Alias("Unregister")]
    Task UnregisterAsync(string hubId);

    [Alias("GetHubs"), ReadOnly]
    Task<IReadOnlyList<HubRegistration>> GetHubsAsync();
}
