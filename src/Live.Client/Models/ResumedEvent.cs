namespace Live.Client.Models;

/// <summary>One event of a <see cref="RoomResume"/>: the live event's name, its seq and its live argument.</summary>
public sealed record ResumedEvent
{
    /// <summary>The live event's name (<see cref="Live.Client.LiveHubNames"/>), <c>ChatBatch</c> for chat.</summary>
    public string Event { get; init; } = "";

    public long Seq { get; init; }

    /// <summary>The live argument, read by <see cref="EventData.As{T}"/> in the type the event's name gives.</summary>
    public EventData? Data { get; init; }
}
