namespace Live.Hub.Moderation;

/// <summary><c>POST /api/rooms/{roomId}/mutes</c>'s body.</summary>
public sealed record MuteRequest(string? UserId, int DurationSeconds);

/// <summary><c>POST /api/rooms/{roomId}/bans</c>'s body.</summary>
public sealed record BanRequest(string? UserId);

/// <summary><c>PUT /api/rooms/{roomId}/slow-mode</c>'s body.</summary>
public sealed record SlowModeRequest(int Seconds);

/// <summary><c>PUT /api/rooms/{roomId}/blocked-words</c>'s body.</summary>
public sealed record BlockedWordsRequest(IReadOnlyList<string>? Words);
