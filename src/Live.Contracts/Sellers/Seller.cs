namespace Live.Contracts.Sellers;

/// <summary>
/// <c>GET /api/sellers/{hostId}</c>'s answer: the brands an operator licensed this seller (a host id) to sell, in the
/// order they were granted. Its products of those brands carry the verified (authenticity) badge.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.Seller")]
public sealed record Seller
{
    [Id(0)] public required string HostId { get; init; }
    [Id(1)] public IReadOnlyList<string> Brands { get; init; } = Array.Empty<string>();
}
