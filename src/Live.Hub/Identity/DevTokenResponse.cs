namespace Live.Hub.Identity;

/// <summary><c>POST /api/dev/token</c>'s answer.</summary>
public sealed record DevTokenResponse(string Token);
