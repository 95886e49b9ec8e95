namespace Live.Hub.Moderation;

/// <summary><c>POST /api/rooms/{roomId}/mutes</c>'s body.</summary>
public sealed record MuteRequest(string? UserId, int DurationSeconds);
