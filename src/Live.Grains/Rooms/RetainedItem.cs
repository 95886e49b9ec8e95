using Live.Contracts.Notifications;

namespace Live.Grains.Rooms;

/// <summary>One event of a <see cref="RetainedHandoff"/> and when the room kept it.</summary>
[GenerateSerializer, Immutable, Alias("live.RetainedItem")]
internal sealed record RetainedItem
{
    [Id(0)] public required DateTimeOffset At { get; init; }

    [Id(1)] public required RoomEvent Event { get; init; }
}
