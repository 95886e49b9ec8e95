namespace Live.Grains.FlashSales;

/// <summary>What a <see cref="SaleEntry"/> records. Stored as a number: never renumber, only add.</summary>
internal enum SaleEntryKind : byte
{
    Started = 1,
    Decided = 2,
    Banned = 3,
    Unbanned = 4,
    Ended = 5,
    StockReturned = 6,
    Delivered = 7,
}
