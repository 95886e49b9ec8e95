namespace Live.Grains.Sellers;

/// <summary>One product of a seller, with its brand as created (so that a licence finds its products).</summary>
[GenerateSerializer, Immutable, Alias("live.SellerProduct")]
internal sealed record SellerProduct
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Brand { get; init; }
}
