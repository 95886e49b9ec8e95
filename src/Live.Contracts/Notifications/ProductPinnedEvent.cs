using Live.Contracts.Catalog;

namespace Live.Contracts.Notifications;

[GenerateSerializer, Immutable, Alias("live.ProductPinnedEvent")]
public sealed record ProductPinnedEvent : RoomEvent
{
    [Id(0)] public required Product Product { get; init; }
}
