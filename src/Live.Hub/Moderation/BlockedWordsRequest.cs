namespace Live.Hub.Moderation;

/// <summary><c>PUT /api/rooms/{roomId}/blocked-words</c>'s body.</summary>
public sealed record BlockedWordsRequest(IReadOnlyList<string>? Words);
