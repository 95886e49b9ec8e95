namespace Live.Contracts.FlashSales;

/// <summary>One purchase of a batch (<see cref="IFlashSaleGrain.BuyNowManyAsync"/>): what <c>BuyNow</c> takes.</summary>
[GenerateSerializer, Immutable, Alias("live.PurchaseRequest")]
public sealed record PurchaseRequest
{
    [Id(0)] public required Caller Buyer { get; init; }
    [Id(1)] public required int Quantity { get; init; }
    [Id(2)] public required string RequestId { get; init; }
}
