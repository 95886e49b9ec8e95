using System.Text.Json.Serialization;

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

    /// <summary>
    /// The message's own place in the room's event stream (RedLive addition, PROTOCOL v1.3): set by the room as it
    /// sends the message in a <c>ChatBatch</c>, absent (not null) in REST answers and snapshots.
    /// </summary>
    [Id(6)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seq { get; init; }
}
