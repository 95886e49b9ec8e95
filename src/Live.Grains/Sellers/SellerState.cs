namespace Live.Grains.Sellers;

[GenerateSerializer, Alias("live.SellerState")]
internal sealed class SellerState
{
    /// <summary>Licensed brands as the operator typed them, in grant order; unique ignoring case.</summary>
    [Id(0)] public List<string> Brands { get; set; } = [];

    /// <summary>The seller's products, at most <see cref="SellerOptions.MaxProducts"/>.</summary>
    [Id(1)] public List<SellerProduct> Products { get; set; } = [];
}
