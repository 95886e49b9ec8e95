using Live.Contracts.Catalog;

namespace Live.Grains.Catalog;

[GenerateSerializer, Alias("live.ProductState")]
internal sealed class ProductState
{
    [Id(0)] public Product? Product { get; set; }
    [Id(1)] public string? OwnerId { get; set; }

    /// <summary>
    /// Units each reservation (order id or sale id) took, so that retries take nothing more; compacted after the
    /// idempotency window (<see cref="ProductReservations"/>).
    /// </summary>
    [Id(2)] public Dictionary<string, int> Reservations { get; set; } = [];

    /// <summary>Reservations already given back, so that a release happens once.</summary>
    [Id(3)] public HashSet<string> Released { get; set; } = [];

    /// <summary>When each reservation last changed (taken or given back): compaction counts the window from it.</summary>
    [Id(5)] public Dictionary<string, DateTimeOffset> ReservedAt { get; set; } = [];

    /// <summary>The reservations made for flash sales: kept until the sale gives its unsold units back.</summary>
    [Id(6)] public HashSet<string> SaleReservations { get; set; } = [];

    /// <summary>The last rooms that pinned the product (<see cref="ProductOwnership.RoomsRemembered"/>), oldest first.</summary>
    [Id(4)] public List<string> PinnedIn { get; set; } = [];
}
