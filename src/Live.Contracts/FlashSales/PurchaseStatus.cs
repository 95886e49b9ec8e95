namespace Live.Contracts.FlashSales;

public static class PurchaseStatus
{
    public const string Confirmed = "confirmed";
    public const string SoldOut = "soldOut";
    public const string LimitExceeded = "limitExceeded";
    public const string NotActive = "notActive";
}
