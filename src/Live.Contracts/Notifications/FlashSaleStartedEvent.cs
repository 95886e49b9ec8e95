using Live.Contracts.FlashSales;

namespace Live.Contracts.Notifications;

[GenerateSerializer, Immutable, Alias("live.FlashSaleStartedEvent")]
public sealed record FlashSaleStartedEvent : RoomEvent
{
    [Id(0)] public required FlashSale Sale { get; init; }
}
