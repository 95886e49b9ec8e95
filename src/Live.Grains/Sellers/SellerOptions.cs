using System.ComponentModel.DataAnnotations;

namespace Live.Grains.Sellers;

/// <summary>Bounds of a seller's record (its licences and its product ids).</summary>
public sealed class SellerOptions
{
    public const string SectionName = "Sellers";

    /// <summary>
    /// Products one seller (host) may create. The seller's record keeps every product id so that a licence change
    /// reaches them, and is rewritten whole when one is added: the bound keeps it to tens of kilobytes.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxProducts { get; set; } = 2000;

    /// <summary>Brands one seller may be licensed for.</summary>
    [Range(1, 10_000)]
    public int MaxBrands { get; set; } = 100;
}
