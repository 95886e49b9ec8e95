namespace Live.Contracts.Rooms;

/// <summary>The acting user: their id and whether their token says <c>moderator</c>.</summary>
[GenerateSerializer, Immutable, Alias("live.Actor")]
public sealed record Actor
{
    [Id(0)] public required string UserId { get; init; }
    [Id(1)] public required bool IsModerator { get; init; }
}
