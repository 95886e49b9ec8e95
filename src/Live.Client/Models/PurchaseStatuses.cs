namespace Live.Client.Models;

/// <summary>The values of <see cref="PurchaseResult.Status"/>.</summary>
public static class PurchaseStatuses
{
    public const string Confirmed = "confirmed";
    public const string SoldOut = "soldOut";
    public const string LimitExceeded = "limitExceeded";
    public const string NotActive = "notActive";
}
