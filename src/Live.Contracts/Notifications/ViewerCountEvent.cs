namespace Live.Contracts.Notifications;

[GenerateSerializer, Immutable, Alias("live.ViewerCountEvent")]
public sealed record ViewerCountEvent : RoomEvent
{
    [Id(0)] public required long Viewers { get; init; }
}
