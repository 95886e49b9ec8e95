namespace Live.Contracts.Notifications;

/// <summary>
/// Something every viewer of a room must see. Grains raise them; a hub server turns each into one
/// SignalR group send (one Redis publish with the backplane on). One subtype per PROTOCOL.md room event.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.RoomEvent")]
public abstract record RoomEvent
{
    [Id(0)] public required string RoomId { get; init; }

    /// <summary>
    /// The room's number for this event (PROTOCOL v1.3's <c>seq</c>), set by the room as it sends it; 0 for an event
    /// that is not part of the room's stream (<see cref="UserBannedEvent"/>) and before the room has numbered it. A
    /// <see cref="ChatBatchEvent"/> carries the number of its last message; each message carries its own.
    /// </summary>
    [Id(1)] public long Seq { get; init; }

    /// <summary>
    /// Numbered and kept in the room's retained window; false for an event that acts on connections rather than
    /// reaching the room's viewers as a room event.
    /// </summary>
    public virtual bool IsSequenced => true;

    /// <summary>
    /// Delivered to every hub server rather than one per backplane: the event acts on each server's own
    /// connections (a ban removes them from the room's group), which a backplane publish cannot do.
    /// </summary>
    public virtual bool ForEveryHub => false;
}
