namespace Live.Contracts.FlashSales;

public static class SaleStatus
{
    public const string Active = "active";
    public const string Ended = "ended";
    public const string SoldOut = "soldOut";
}
