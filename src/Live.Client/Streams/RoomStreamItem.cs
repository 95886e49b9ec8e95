namespace Live.Client.Streams;

/// <summary>
/// One event of a room's stream as the client orders it: the live event's name (<see cref="LiveHubNames"/>; each
/// message of a <c>ChatBatch</c> is an item of its own, named <c>ChatBatch</c> with a <see cref="Models.ChatMessage"/>),
/// its seq (null from a server without the event stream) and its argument. <see cref="Snapshot"/> names the
/// pseudo-event "start again from this snapshot".
/// </summary>
public sealed record RoomStreamItem(string Event, long? Seq, object Data)
{
    /// <summary>The name of the item that carries a <see cref="Models.RoomSnapshot"/> to start again from.</summary>
    public const string Snapshot = "Snapshot";
}
