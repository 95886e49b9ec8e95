using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;

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

[GenerateSerializer, Immutable, Alias("live.ChatBatchEvent")]
public sealed record ChatBatchEvent : RoomEvent
{
    [Id(0)] public required IReadOnlyList<ChatMessage> Messages { get; init; }
}

[GenerateSerializer, Immutable, Alias("live.ProductPinnedEvent")]
public sealed record ProductPinnedEvent : RoomEvent
{
    [Id(0)] public required Product Product { get; init; }
}

[GenerateSerializer, Immutable, Alias("live.ProductUnpinnedEvent")]
public sealed record ProductUnpinnedEvent : RoomEvent;

[GenerateSerializer, Immutable, Alias("live.FlashSaleStartedEvent")]
public sealed record FlashSaleStartedEvent : RoomEvent
{
    [Id(0)] public required FlashSale Sale { get; init; }
}

[GenerateSerializer, Immutable, Alias("live.FlashSaleUpdatedEvent")]
public sealed record FlashSaleUpdatedEvent : RoomEvent
{
    [Id(0)] public required FlashSaleProgress Progress { get; init; }
}

[GenerateSerializer, Immutable, Alias("live.FlashSaleEndedEvent")]
public sealed record FlashSaleEndedEvent : RoomEvent
{
    [Id(0)] public required FlashSale Sale { get; init; }
}

[GenerateSerializer, Immutable, Alias("live.ViewerCountEvent")]
public sealed record ViewerCountEvent : RoomEvent
{
    [Id(0)] public required long Viewers { get; init; }
}

[GenerateSerializer, Immutable, Alias("live.LikesUpdatedEvent")]
public sealed record LikesUpdatedEvent : RoomEvent
{
    [Id(0)] public required long Likes { get; init; }
}

[GenerateSerializer, Immutable, Alias("live.StreamStartedEvent")]
public sealed record StreamStartedEvent : RoomEvent
{
    [Id(0)] public required Room Room { get; init; }
}

[GenerateSerializer, Immutable, Alias("live.StreamEndedEvent")]
public sealed record StreamEndedEvent : RoomEvent
{
    [Id(0)] public required Room Room { get; init; }
}

[GenerateSerializer, Immutable, Alias("live.ChatDeletedEvent")]
public sealed record ChatDeletedEvent : RoomEvent
{
    [Id(0)] public required string MessageId { get; init; }
}

/// <summary>
/// Where the room's stream stands (PROTOCOL v1.5's <c>RoomHeartbeat</c>): its epoch and the newest seq it has sent,
/// published every <c>Rooms:HeartbeatInterval</c> while the room is open, so a viewer whose last events were lost
/// learns of the gap although the room has gone quiet. Not itself numbered.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.RoomHeartbeatEvent")]
public sealed record RoomHeartbeatEvent : RoomEvent
{
    [Id(0)] public required string Epoch { get; init; }

    /// <summary>The newest seq the room has sent.</summary>
    [Id(1)] public required long Last { get; init; }

    public override bool IsSequenced => false;
}

[GenerateSerializer, Immutable, Alias("live.UserBannedEvent")]
public sealed record UserBannedEvent : RoomEvent
{
    [Id(0)] public required string UserId { get; init; }

    public override bool ForEveryHub => true;

    public override bool IsSequenced => false;
}
