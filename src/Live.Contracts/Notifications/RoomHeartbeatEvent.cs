namespace Live.Contracts.Notifications;

/// <summary>
/// Where the room's stream stands (PROTOCOL v1.5's <c>RoomHeartbeat</c>): its epoch and the newest seq it has sent,
/// published every <c>Rooms:HeartbeatInterval</c> while the room is open, so a viewer whose last events were lost
/// learns of the gap although the room has gone quiet. Not itself numbered.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.RoomHeartbeatEvent")]
public sealed record RoomHeartbeatEvent : RoomEvent
{
    [Id(0)] public required string Epoch { get; init; }

    /// <summary>The newest seq the room has sent.</summary>
    [Id(1)] public required long Last { get; init; }

    public override bool IsSequenced => false;
}
