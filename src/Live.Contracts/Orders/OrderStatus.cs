namespace Live.Contracts.Orders;

public static class OrderStatus
{
    public const string Confirmed = "confirmed";
}
