namespace Live.Hub.Identity;

/// <summary><c>POST /api/dev/token</c>'s body.</summary>
public sealed record DevTokenRequest(string? UserId, string? DisplayName, string? Role);
