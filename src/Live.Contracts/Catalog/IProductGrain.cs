namespace Live.Contracts.Catalog;

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
