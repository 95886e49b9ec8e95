using System.ComponentModel.DataAnnotations;

namespace Live.Grains.FlashSales;

/// <summary>Flash-sale limits and how often its progress is told to the room.</summary>
public sealed class FlashSaleOptions
{
    public const string SectionName = "FlashSales";

    /// <summary>At most one <c>FlashSaleUpdated</c> per interval; also how often the end time is checked.</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    [Range(1, 10_000_000)]
    public int MaxQuantity { get; set; } = 1_000_000;

    [Range(1, 7 * 24 * 3600)]
    public int MaxDurationSeconds { get; set; } = 24 * 3600;

    [Range(1, 3600)]
    public int MinDurationSeconds { get; set; } = 5;

    /// <summary>How many recent buyers' names an update carries.</summary>
    [Range(0, 50)]
    public int RecentBuyers { get; set; } = 5;

    /// <summary>
    /// The ledger is snapshotted (by the sale's timer, never by a purchase) once it has grown by this many entries
    /// since the last snapshot, or by as many entries as that snapshot covered if more: the snapshots' total size stays
    /// proportional to the ledger's, and an activation replays at most about half of it after the snapshot.
    /// </summary>
    [Range(1, 100_000_000)]
    public int SnapshotEntries { get; set; } = 1000;
}
