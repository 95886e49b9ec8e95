using Live.Contracts.Rooms;

namespace Live.Contracts.Notifications;

[GenerateSerializer, Immutable, Alias("live.StreamStartedEvent")]
public sealed record StreamStartedEvent : RoomEvent
{
    [Id(0)] public required Room Room { get; init; }
}
