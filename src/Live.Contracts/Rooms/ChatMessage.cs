namespace Live.Contracts.Rooms;

[GenerateSerializer, Immutable, Alias("live.ChatMessage")]
public sealed record ChatMessage
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string RoomId { get; init; }
    [Id(2)] public required string UserId { get; init; }
    [Id(3)] public required string DisplayName { get; init; }
    [Id(4)] public required string Text { get; init; }
    [Id(5)] public required DateTimeOffset SentAt { get; init; }
}
