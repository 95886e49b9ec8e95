namespace Live.Hub.Moderation;

/// <summary><c>POST /api/rooms/{roomId}/bans</c>'s body.</summary>
public sealed record BanRequest(string? UserId);
