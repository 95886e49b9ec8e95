using System.Text.Json.Serialization;

namespace Live.Contracts.Rooms;

[GenerateSerializer, Immutable, Alias("live.Room")]
public sealed record Room
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string HostId { get; init; }
    [Id(2)] public required string Title { get; init; }
    [Id(3)] public string? Description { get; init; }
    [Id(4)] public required string Status { get; init; }
    [Id(5)] public DateTimeOffset? StartedAt { get; init; }
    [Id(6)] public DateTimeOffset? EndedAt { get; init; }
    [Id(7)] public DateTimeOffset CreatedAt { get; init; }

    /// <summary>
    /// The room event this travels in (RedLive addition, PROTOCOL v1.3): stamped by the hub server as it sends a room
    /// event, absent (not null) in REST answers and snapshots.
    /// </summary>
    [Id(8)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seq { get; init; }
}
