using Live.Contracts.Rooms;

namespace Live.Contracts.Notifications;

[GenerateSerializer, Immutable, Alias("live.ChatBatchEvent")]
public sealed record ChatBatchEvent : RoomEvent
{
    [Id(0)] public required IReadOnlyList<ChatMessage> Messages { get; init; }
}
