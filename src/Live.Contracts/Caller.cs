namespace Live.Contracts;

/// <summary>Who is calling a grain: the user id (token <c>sub</c>) and display name.</summary>
[GenerateSerializer, Immutable, Alias("live.Caller")]
public sealed record Caller
{
    [Id(0)] public required string UserId { get; init; }
    [Id(1)] public required string DisplayName { get; init; }
}
