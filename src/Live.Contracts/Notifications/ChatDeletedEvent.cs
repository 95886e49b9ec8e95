namespace Live.Contracts.Notifications;

[GenerateSerializer, Immutable, Alias("live.ChatDeletedEvent")]
public sealed record ChatDeletedEvent : RoomEvent
{
    [Id(0)] public required string MessageId { get; init; }
}
