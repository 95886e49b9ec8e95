namespace Live.Contracts.FlashSales;

/// <summary>What a host sends to open a sale (<c>POST /api/rooms/{roomId}/flash-sales</c>).</summary>
[GenerateSerializer, Immutable, Alias("live.NewFlashSale")]
public sealed record NewFlashSale
{
    [Id(0)] public string? ProductId { get; init; }
    [Id(1)] public decimal Price { get; init; }
    [Id(2)] public int Quantity { get; init; }
    [Id(3)] public int PerUserLimit { get; init; }
    [Id(4)] public int DurationSeconds { get; init; }
}
