namespace Live.Contracts.Catalog;

/// <summary>What a host sends to create a product (<c>POST /api/products</c>).</summary>
[GenerateSerializer, Immutable, Alias("live.NewProduct")]
public sealed record NewProduct
{
    [Id(0)] public string? Name { get; init; }
    [Id(1)] public string? Brand { get; init; }
    [Id(2)] public decimal Price { get; init; }
    [Id(3)] public string? Currency { get; init; }
    [Id(4)] public string? ImageUrl { get; init; }
    [Id(5)] public IReadOnlyList<string>? Tags { get; init; }

    /// <summary>Regular stock; null means the product's stock is not tracked.</summary>
    [Id(6)] public int? Stock { get; init; }
}
