namespace Live.Grains.Catalog;

/// <summary>A product of the catalogue, keyed by its id: description, price, and regular stock.</summary>
[Alias("live.IProductGrain")]
public interface IProductGrain : IGrainWithStringKey
{
    /// <summary>Creates the product; a product is created once.</summary>
    [Alias("Create")]
    Task<Product> CreateAsync(string ownerId, NewProduct product);

    /// <summary>The product, or <c>not_found</c>.</summary>
    [Alias("Get"), ReadOnly]
    Task<Product> GetAsync();

    /// <summary>
    /// Takes <paramref name="quantity"/> units of regular stock for <paramref name="reservationId"/> (an order or a
    /// flash sale). Idempotent: a second call with the same id answers as the first and takes nothing more.
    /// </summary>
    [Alias("Reserve")]
    Task<bool> TryReserveAsync(string reservationId, int quantity);

    /// <summary>Gives back what <paramref name="reservationId"/> holds, up to <paramref name="quantity"/>; once only.</summary>
    [Alias("Release")]
    Task ReleaseAsync(string reservationId, int quantity);
}

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

/// <summary>PROTOCOL.md's <c>Product</c>; <c>stock</c> is RedLive's addition (regular stock left, null when untracked).</summary>
[GenerateSerializer, Immutable, Alias("live.Product")]
public sealed record Product
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string Brand { get; init; }
    [Id(3)] public required decimal Price { get; init; }
    [Id(4)] public required string Currency { get; init; }
    [Id(5)] public string? ImageUrl { get; init; }
    [Id(6)] public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();

    /// <summary>The brand is a licensed seller: the authenticity badge.</summary>
    [Id(7)] public bool Verified { get; init; }
    [Id(8)] public int? Stock { get; init; }
}
