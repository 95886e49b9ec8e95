namespace Live.Client.Models;

/// <summary>
/// The argument of <c>RoomHeartbeat</c> (v1.5): the room's epoch and the newest seq it has sent. Not an event of the
/// stream (its <c>seq</c> is the room's, not its own); the client resumes when it is ahead of what it has.
/// </summary>
public sealed record RoomPosition
{
    public string RoomId { get; init; } = "";

    public string Epoch { get; init; } = "";

    public long Seq { get; init; }
}
