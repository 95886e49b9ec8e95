namespace Live.Hub.Delivery;

/// <summary>The lanes of PROTOCOL.md ("Lanes"): what a connection's outbox does with an event when the viewer falls behind.</summary>
public enum OutboxLane
{
    /// <summary>Never dropped; a connection that cannot take it within the outbox's bounds is closed.</summary>
    MustDeliver,

    /// <summary>Only the newest value of one key (room, event, sale) waits; an older queued one is dropped.</summary>
    LatestValue,

    /// <summary>Chat: the oldest queued frame is dropped first when the outbox is over its bounds.</summary>
    Droppable,
}
