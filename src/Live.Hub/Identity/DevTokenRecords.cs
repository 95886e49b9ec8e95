namespace Live.Hub.Identity;

/// <summary><c>POST /api/dev/token</c>'s body.</summary>
public sealed record DevTokenRequest(string? UserId, string? DisplayName, string? Role);

/// <summary><c>POST /api/dev/token</c>'s answer.</summary>
public sealed record DevTokenResponse(string Token);
