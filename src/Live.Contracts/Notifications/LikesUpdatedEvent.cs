namespace Live.Contracts.Notifications;

[GenerateSerializer, Immutable, Alias("live.LikesUpdatedEvent")]
public sealed record LikesUpdatedEvent : RoomEvent
{
    [Id(0)] public required long Likes { get; init; }
}
