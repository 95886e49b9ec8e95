namespace Live.Contracts.Rooms;

/// <summary>What <c>GET /api/rooms/{roomId}/moderation</c> answers to the host and the room's moderators.</summary>
[GenerateSerializer, Immutable, Alias("live.ModerationView")]
public sealed record ModerationView
{
    [Id(0)] public required string RoomId { get; init; }
    [Id(1)] public required IReadOnlyList<string> Moderators { get; init; }
    [Id(2)] public required IReadOnlyDictionary<string, DateTimeOffset> MutedUntil { get; init; }
    [Id(3)] public required IReadOnlyList<string> Banned { get; init; }
    [Id(4)] public required int SlowModeSeconds { get; init; }
    [Id(5)] public required IReadOnlyList<string> BlockedWords { get; init; }
}
