namespace Live.Grains;

/// <summary>The roles a token carries in its <c>role</c> claim.</summary>
public static class Roles
{
    public const string Viewer = "viewer";
    public const string Host = "host";
    public const string Moderator = "moderator";

    public static bool IsKnown(string? role) => role is Viewer or Host or Moderator;
}

/// <summary>Who is calling a grain: the user id (token <c>sub</c>) and display name.</summary>
[GenerateSerializer, Immutable, Alias("live.Caller")]
public sealed record Caller
{
    [Id(0)] public required string UserId { get; init; }
    [Id(1)] public required string DisplayName { get; init; }
}
