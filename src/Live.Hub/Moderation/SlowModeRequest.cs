namespace Live.Hub.Moderation;

/// <summary><c>PUT /api/rooms/{roomId}/slow-mode</c>'s body.</summary>
public sealed record SlowModeRequest(int Seconds);
