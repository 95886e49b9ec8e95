using System.ComponentModel.DataAnnotations;

namespace Live.Grains.Catalog;

/// <summary>Catalogue settings.</summary>
public sealed class CatalogOptions
{
    public const string SectionName = "Catalog";

    /// <summary>Brands that are licensed sellers; their products carry the verified (authenticity) badge.</summary>
    [Required]
    public string[] LicensedBrands { get; set; } = [];
}
