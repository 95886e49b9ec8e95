using Live.Contracts.FlashSales;

namespace Live.Contracts.Notifications;

[GenerateSerializer, Immutable, Alias("live.FlashSaleUpdatedEvent")]
public sealed record FlashSaleUpdatedEvent : RoomEvent
{
    [Id(0)] public required FlashSaleProgress Progress { get; init; }
}
