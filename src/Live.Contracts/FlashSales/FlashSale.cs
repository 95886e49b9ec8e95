using Live.Contracts.Catalog;

namespace Live.Contracts.FlashSales;

[GenerateSerializer, Immutable, Alias("live.FlashSale")]
public sealed record FlashSale
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string RoomId { get; init; }
    [Id(2)] public required Product Product { get; init; }
    [Id(3)] public required decimal Price { get; init; }
    [Id(4)] public required int Quantity { get; init; }
    [Id(5)] public required int Remaining { get; init; }
    [Id(6)] public required int PerUserLimit { get; init; }
    [Id(7)] public required string Status { get; init; }
    [Id(8)] public required DateTimeOffset EndsAt { get; init; }
}
