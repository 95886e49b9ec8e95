using Live.Contracts.Notifications;

namespace Live.Contracts.Rooms;

/// <summary>
/// The room's answer to a viewer resuming after <see cref="Seq"/> (the hub turns it into PROTOCOL v1.3's
/// <c>RoomResume</c>): either every event after the viewer's <c>seq</c> (<see cref="Events"/>, oldest first, the
/// latest-value ones folded) or, when those are no longer retained or the epoch is not the room's, a fresh
/// <see cref="Snapshot"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.RoomCatchUp")]
public sealed record RoomCatchUp
{
    [Id(0)] public required bool Resumed { get; init; }

    [Id(1)] public required string Epoch { get; init; }

    /// <summary>The newest event the answer includes (resumed) or reflects (the snapshot).</summary>
    [Id(2)] public required long Seq { get; init; }

    [Id(3)] public IReadOnlyList<RoomEvent>? Events { get; init; }

    [Id(4)] public RoomSnapshot? Snapshot { get; init; }

    /// <summary>The room's host: the one chatter whose id an anonymous viewer's answer does not replace by a pseudonym.</summary>
    [Id(5)] public string? HostId { get; init; }
}
