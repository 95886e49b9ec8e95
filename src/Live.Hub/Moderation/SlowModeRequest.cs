namespace Live.Hub.Moderation;

/// <summary>
/// <c>PUT /api/rooms/{roomId}/slow-mode</c>'s body. <see cref="Seconds"/> is nullable so that a body without it is refused
/// rather than read as 0, which turns slow mode off.
/// </summary>
public sealed record SlowModeRequest(int? Seconds);
