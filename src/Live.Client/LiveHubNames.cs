namespace Live.Client;

/// <summary>The hub's path, methods and events as docs/PROTOCOL.md names them.</summary>
public static class LiveHubNames
{
    public const string Path = "/hubs/live";

    // Methods a client invokes.
    public const string JoinRoom = "JoinRoom";
    public const string LeaveRoom = "LeaveRoom";
    public const string ResumeRoom = "ResumeRoom";
    public const string SendChat = "SendChat";
    public const string Like = "Like";
    public const string BuyNow = "BuyNow";
    public const string BuyNowWithOrder = "BuyNowWithOrder";
    public const string AddToCart = "AddToCart";
    public const string AddToCartWithKey = "AddToCartWithKey";

    // Room events (each carries a seq from v1.3).
    public const string ChatBatch = "ChatBatch";
    public const string ProductPinned = "ProductPinned";
    public const string ProductUnpinned = "ProductUnpinned";
    public const string FlashSaleStarted = "FlashSaleStarted";
    public const string FlashSaleUpdated = "FlashSaleUpdated";
    public const string FlashSaleEnded = "FlashSaleEnded";
    public const string ViewerCount = "ViewerCount";
    public const string LikesUpdated = "LikesUpdated";
    public const string StreamStarted = "StreamStarted";
    public const string StreamEnded = "StreamEnded";
    public const string ChatDeleted = "ChatDeleted";

    // Events to one user, without seq.
    public const string PurchaseConfirmed = "PurchaseConfirmed";
    public const string RemovedFromRoom = "RemovedFromRoom";

    /// <summary>Where a room's stream stands (v1.5): not a room event of its own, a prompt to resume when behind.</summary>
    public const string RoomHeartbeat = "RoomHeartbeat";
}
