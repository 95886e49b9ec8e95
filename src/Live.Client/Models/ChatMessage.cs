namespace Live.Client.Models;

/// <summary>PROTOCOL.md's <c>ChatMessage</c>. Its text is the sender's, verbatim: escape it when rendering.</summary>
public sealed record ChatMessage
{
    public string Id { get; init; } = "";

    public string RoomId { get; init; } = "";

    public string UserId { get; init; } = "";

    public string DisplayName { get; init; } = "";

    public string Text { get; init; } = "";

    public DateTimeOffset SentAt { get; init; }

    /// <summary>This message's own event number in its room (each message of a <c>ChatBatch</c> has one, v1.3); null in snapshots and answers.</summary>
    public long? Seq { get; init; }
}
