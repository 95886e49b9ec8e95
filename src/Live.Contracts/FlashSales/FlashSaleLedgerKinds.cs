namespace Live.Contracts.FlashSales;

/// <summary>The kinds of <see cref="FlashSaleLedgerEntry"/>.</summary>
public static class FlashSaleLedgerKinds
{
    public const string Started = "started";
    public const string Decided = "decided";
    public const string Banned = "banned";
    public const string Unbanned = "unbanned";
    public const string Ended = "ended";
    public const string StockReturned = "stockReturned";
    public const string Delivered = "delivered";
}
