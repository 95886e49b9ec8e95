namespace Live.Client.Models;

/// <summary>The values of <see cref="FlashSale.Status"/>.</summary>
public static class SaleStatuses
{
    public const string Active = "active";
    public const string Ended = "ended";
    public const string SoldOut = "soldOut";
}
