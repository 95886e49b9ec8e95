namespace Live.Grains.Rooms;

/// <summary>A room's moderation settings, part of its state.</summary>
[GenerateSerializer, Alias("live.RoomModeration")]
public sealed class RoomModeration
{
    /// <summary>Users the host assigned as moderators of this room (they also need the <c>moderator</c> role).</summary>
    [Id(0)] public HashSet<string> Moderators { get; set; } = [];

    /// <summary>Muted users and until when.</summary>
    [Id(1)] public Dictionary<string, DateTimeOffset> MutedUntil { get; set; } = [];

    [Id(2)] public HashSet<string> Banned { get; set; } = [];

    /// <summary>Slow mode: a user may chat once per this many seconds (0: off).</summary>
    [Id(3)] public int SlowModeSeconds { get; set; }

    /// <summary>Words refused in chat (matched case-insensitively as substrings).</summary>
    [Id(4)] public List<string> BlockedWords { get; set; } = [];
}

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

/// <summary>The acting user: their id and whether their token says <c>moderator</c>.</summary>
[GenerateSerializer, Immutable, Alias("live.Actor")]
public sealed record Actor
{
    [Id(0)] public required string UserId { get; init; }
    [Id(1)] public required bool IsModerator { get; init; }
}
