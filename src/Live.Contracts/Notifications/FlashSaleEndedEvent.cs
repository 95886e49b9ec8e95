using Live.Contracts.FlashSales;

namespace Live.Contracts.Notifications;

[GenerateSerializer, Immutable, Alias("live.FlashSaleEndedEvent")]
public sealed record FlashSaleEndedEvent : RoomEvent
{
    [Id(0)] public required FlashSale Sale { get; init; }
}
