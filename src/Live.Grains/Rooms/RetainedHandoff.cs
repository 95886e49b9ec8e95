namespace Live.Grains.Rooms;

/// <summary>
/// A room's retained window as its activation leaves it on a graceful deactivation: the epoch, the newest seq used and
/// every event kept, so that the next activation carries on the same stream (same epoch, numbers continuing from
/// <see cref="Last"/>) and a viewer can still resume across it. Written once, by the activation's last write; taken
/// (and cleared in storage) by the next activation before it numbers anything. Bounded by
/// <see cref="LiveRoomOptions.MaxRetainedEvents"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.RetainedHandoff")]
internal sealed record RetainedHandoff
{
    [Id(0)] public required string Epoch { get; init; }

    /// <summary>The newest seq the activation used (and sent: it flushed its chat first).</summary>
    [Id(1)] public required long Last { get; init; }

    /// <summary>The number below the oldest event kept.</summary>
    [Id(2)] public required long Floor { get; init; }

    /// <summary>The events kept, oldest first; a chat message as a batch of its own.</summary>
    [Id(3)] public required IReadOnlyList<RetainedItem> Events { get; init; }
}
