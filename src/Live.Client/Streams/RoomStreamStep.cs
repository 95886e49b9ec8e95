namespace Live.Client.Streams;

/// <summary>
/// What the caller of <see cref="RoomStreamState"/> does next: hand <see cref="Deliver"/> to the application, in order,
/// and, when <see cref="Resume"/> is set, call <c>ResumeRoom</c> from that point and give its answer back.
/// </summary>
public sealed record RoomStreamStep(IReadOnlyList<RoomStreamItem> Deliver, ResumePoint? Resume)
{
    public static RoomStreamStep None { get; } = new([], null);
}
