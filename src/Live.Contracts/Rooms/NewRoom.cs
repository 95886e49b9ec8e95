namespace Live.Contracts.Rooms;

/// <summary>What a host sends to create a room (<c>POST /api/rooms</c>).</summary>
[GenerateSerializer, Immutable, Alias("live.NewRoom")]
public sealed record NewRoom
{
    [Id(0)] public string? Title { get; init; }
    [Id(1)] public string? Description { get; init; }
}
