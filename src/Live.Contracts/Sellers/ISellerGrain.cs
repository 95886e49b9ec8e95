namespace Live.Contracts.Sellers;

/// <summary>
/// A seller, keyed by host id: the brands an operator licensed it for, and the ids of its products so that a licence
/// granted or revoked reaches them. Only operators reach the licence calls (the REST layer checks the role).
/// </summary>
[Alias("live.ISellerGrain")]
public interface ISellerGrain : IGrainWithStringKey
{
    /// <summary>The seller's licences; a host never licensed answers no brands (and leaves no state behind).</summary>
    [Alias("Get"), ReadOnly]
    Task<Seller> GetAsync();

    /// <summary>
    /// Licenses the seller for <paramref name="brand"/> (compared ignoring case) and sets the badge on its products of
    /// that brand. Idempotent: granting again pushes the badge to those products again.
    /// </summary>
    [Alias("License"), RetrySafe]
    Task<Seller> LicenseAsync(string brand);

    /// <summary>
    /// Withdraws the licence for <paramref name="brand"/> and clears the badge on the seller's products of that brand
    /// (and on the rooms that show one of them pinned). Idempotent, like <see cref="LicenseAsync"/>.
    /// </summary>
    [Alias("Revoke"), RetrySafe]
    Task<Seller> RevokeAsync(string brand);

    /// <summary>
    /// Called by a product being created: remembers it as this seller's and answers whether the seller is licensed for
    /// its brand (its badge). <c>conflict</c> when the seller already has <c>Sellers:MaxProducts</c> products.
    /// </summary>
    [Alias("AddProduct")]
    Task<bool> AddProductAsync(string productId, string brand);
}
