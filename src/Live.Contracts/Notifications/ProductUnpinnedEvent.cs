namespace Live.Contracts.Notifications;

[GenerateSerializer, Immutable, Alias("live.ProductUnpinnedEvent")]
public sealed record ProductUnpinnedEvent : RoomEvent;
