namespace Live.Grains;

/// <summary>Names of the persistent states, one per grain kind.</summary>
public static class StateNames
{
    public const string Room = "room";
    public const string RoomDirectory = "roomDirectory";
    public const string Product = "product";
    public const string FlashSale = "flashSale";
    public const string Cart = "cart";
    public const string OrderBook = "orders";
    public const string Seller = "seller";
}
