using Live.Contracts.Rooms;

namespace Live.Contracts.Notifications;

[GenerateSerializer, Immutable, Alias("live.StreamEndedEvent")]
public sealed record StreamEndedEvent : RoomEvent
{
    [Id(0)] public required Room Room { get; init; }
}
