namespace Live.Client.Models;

/// <summary>
/// <c>ResumeRoom</c>'s answer (v1.3): either <see cref="Resumed"/> with every event after the client's seq in
/// <see cref="Events"/>, or not, with a fresh <see cref="Snapshot"/> to start again from.
/// </summary>
public sealed record RoomResume
{
    public bool Resumed { get; init; }

    public string? Epoch { get; init; }

    /// <summary>The newest event included; live events that follow continue after it.</summary>
    public long Seq { get; init; }

    /// <summary>When resumed: the events after the client's seq, oldest first, in their live shapes.</summary>
    public IReadOnlyList<ResumedEvent>? Events { get; init; }

    /// <summary>When not resumed: the room as <c>JoinRoom</c> answers it.</summary>
    public RoomSnapshot? Snapshot { get; init; }
}
