namespace Live.Hub.Moderation;

/// <summary>
/// <c>POST /api/rooms/{roomId}/mutes</c>'s body. <see cref="DurationSeconds"/> is nullable so that a body without it (a
/// misspelt field) is refused rather than read as 0, which to the room means "unmute".
/// </summary>
public sealed record MuteRequest(string? UserId, int? DurationSeconds);
