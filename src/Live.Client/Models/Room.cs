namespace Live.Client.Models;

/// <summary>PROTOCOL.md's <c>Room</c>: in a snapshot, and the argument of <c>StreamStarted</c> and <c>StreamEnded</c>.</summary>
public sealed record Room
{
    public string Id { get; init; } = "";

    public string HostId { get; init; } = "";

    public string Title { get; init; } = "";

    public string? Description { get; init; }

    /// <summary><see cref="RoomStatuses"/>: scheduled, live or ended.</summary>
    public string Status { get; init; } = "";

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? EndedAt { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>The room's event number when this came as an event (v1.3); null elsewhere.</summary>
    public long? Seq { get; init; }
}
