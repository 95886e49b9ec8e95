namespace Live.Grains;

/// <summary>The grain storage provider every RedLive grain persists through; hosts and tests share it.</summary>
public static class StorageNames
{
    public const string Live = "live";
}

/// <summary>Names of the persistent states, one per grain kind.</summary>
public static class StateNames
{
    public const string Room = "room";
    public const string RoomDirectory = "roomDirectory";
    public const string Product = "product";
    public const string FlashSale = "flashSale";
    public const string Cart = "cart";
    public const string OrderBook = "orders";
}
