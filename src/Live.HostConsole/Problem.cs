namespace Live.HostConsole;

/// <summary>RFC 7807 problem details as RedLive sends them: <c>type</c> is the stable error code.</summary>
public sealed record Problem(string? Type, string? Title, int? Status, string? Detail);
