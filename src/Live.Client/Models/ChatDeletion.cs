namespace Live.Client.Models;

/// <summary>The argument of <c>ChatDeleted</c>: remove the message from the chat shown.</summary>
public sealed record ChatDeletion
{
    public string RoomId { get; init; } = "";

    public string MessageId { get; init; } = "";

    public long? Seq { get; init; }
}
