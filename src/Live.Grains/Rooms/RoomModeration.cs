namespace Live.Grains.Rooms;

/// <summary>A room's moderation settings, part of its state.</summary>
[GenerateSerializer, Alias("live.RoomModeration")]
internal sealed class RoomModeration
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
