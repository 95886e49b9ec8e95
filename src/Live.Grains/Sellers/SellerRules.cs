using Live.Contracts;
using Live.Contracts.Sellers;

namespace Live.Grains.Sellers;

/// <summary>
/// A seller's licences and products: brands compare ignoring case (an operator licensing "perfect diary" licenses
/// "Perfect Diary"), both lists are bounded, and every change says whether it changed anything so that the grain
/// writes only when it did.
/// </summary>
internal sealed class SellerRules(SellerState state, SellerOptions options)
{
    private static readonly StringComparer BrandComparer = StringComparer.OrdinalIgnoreCase;

    // Recorded products that answered that they do not exist, and when they first did (see MissingFor).
    private readonly Dictionary<string, DateTimeOffset> _missingSince = new(StringComparer.Ordinal);

    /// <summary>A brand as typed, trimmed; the same text rules as a product's brand.</summary>
    public static string Brand(string? brand) => TextRules.Require(brand, "brand", 100);

    /// <summary>Nothing licensed and no products: a host id the seller record knows nothing about.</summary>
    public bool IsEmpty => state.Brands.Count == 0 && state.Products.Count == 0;

    public bool IsLicensed(string brand) => state.Brands.Contains(brand.Trim(), BrandComparer);

    /// <summary>Grants <paramref name="brand"/>; false when already granted; <c>conflict</c> past the bound.</summary>
    public bool License(string brand)
    {
        if (IsLicensed(brand))
        {
            return false;
        }

        if (state.Brands.Count >= options.MaxBrands)
        {
            throw LiveException.Conflict($"a seller is licensed for at most {options.MaxBrands} brands");
        }

        state.Brands.Add(brand);
        return true;
    }

    /// <summary>Withdraws <paramref name="brand"/>; false when it was not granted.</summary>
    public bool Revoke(string brand) => state.Brands.RemoveAll(b => BrandComparer.Equals(b, brand.Trim())) > 0;

    /// <summary>Records a product; false when already recorded; <c>conflict</c> past the bound.</summary>
    public bool AddProduct(string productId, string brand)
    {
        if (state.Products.Exists(p => p.Id == productId))
        {
            return false;
        }

        if (state.Products.Count >= options.MaxProducts)
        {
            throw LiveException.Conflict($"a seller has at most {options.MaxProducts} products");
        }

        state.Products.Add(new SellerProduct { Id = productId, Brand = brand });
        return true;
    }

    /// <summary>Whether the seller has <see cref="SellerOptions.MaxProducts"/> products and <paramref name="productId"/> is not one of them.</summary>
    public bool IsFullFor(string productId) =>
        state.Products.Count >= options.MaxProducts && !state.Products.Exists(p => p.Id == productId);

    /// <summary>The ids of all the seller's products.</summary>
    public IReadOnlyList<string> ProductIds => [.. state.Products.Select(p => p.Id)];

    /// <summary>The ids of the seller's products of <paramref name="brand"/>, ignoring case.</summary>
    public IReadOnlyList<string> ProductsOf(string brand) =>
        [.. state.Products.Where(p => BrandComparer.Equals(p.Brand, brand.Trim())).Select(p => p.Id)];

    /// <summary>Forgets products that turned out not to exist (a creation whose write failed); whether any was forgotten.</summary>
    public bool Forget(IReadOnlyCollection<string> productIds)
    {
        foreach (var id in productIds)
        {
            _missingSince.Remove(id);
        }

        return state.Products.RemoveAll(p => productIds.Contains(p.Id)) > 0;
    }

    /// <summary>
    /// Of the recorded products just asked (<paramref name="asked"/>), those answering that they do not exist
    /// (<paramref name="missing"/>) and that already did at least <paramref name="settle"/> ago: the ones to forget.
    /// One answer is not enough: a creation whose write timed out may still land (storage had it in flight), and its
    /// product would then exist without its seller, whose licence changes would no longer reach its badge. A product
    /// that answers yes is cleared. Kept in memory, for this activation (at most one time per recorded product).
    /// </summary>
    public IReadOnlyList<string> MissingFor(IReadOnlyCollection<string> asked, IReadOnlyCollection<string> missing, DateTimeOffset now, TimeSpan settle)
    {
        var forget = new List<string>();
        foreach (var id in asked)
        {
            if (!missing.Contains(id))
            {
                _missingSince.Remove(id);
            }
            else if (!_missingSince.TryAdd(id, now) && now - _missingSince[id] >= settle)
            {
                forget.Add(id);
            }
        }

        return forget;
    }

    public Seller View(string hostId) => new() { HostId = hostId, Brands = [.. state.Brands] };
}
