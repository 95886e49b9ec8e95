using Live.Contracts.FlashSales;

namespace Live.Grains.FlashSales;

/// <summary>
/// The progress a room is told between purchases (coalesced into one update per tick): units left and sold, and the
/// latest buyers' names. Kept in memory only; after a reactivation the buyers list starts empty.
/// </summary>
/// <param name="recentBuyers">How many names an update carries (<see cref="FlashSaleOptions.RecentBuyers"/>).</param>
internal sealed class SaleProgress(int recentBuyers)
{
    private readonly LinkedList<string> _recentBuyers = new();

    /// <summary>Something was sold since the last update.</summary>
    public bool IsDirty { get; private set; }

    /// <summary>Newest first.</summary>
    public IReadOnlyCollection<string> RecentBuyers => _recentBuyers;

    public void Sold(string buyerName)
    {
        _recentBuyers.AddFirst(buyerName);
        while (_recentBuyers.Count > recentBuyers)
        {
            _recentBuyers.RemoveLast();
        }

        IsDirty = true;
    }

    /// <summary>The update to publish, which clears <see cref="IsDirty"/>; null when nothing was sold since the last one.</summary>
    public FlashSaleProgress? TakeUpdate(FlashSale sale)
    {
        if (!IsDirty)
        {
            return null;
        }

        IsDirty = false;
        return new FlashSaleProgress
        {
            SaleId = sale.Id,
            Remaining = sale.Remaining,
            Sold = sale.Quantity - sale.Remaining,
            RecentBuyers = _recentBuyers.ToArray(),
        };
    }
}
