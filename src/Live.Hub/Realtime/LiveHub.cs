using Live.Contracts.Carts;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using Live.Hub.Carts;
using Live.Hub.Identity;
using Live.Hub.Rooms;
using Live.Hub.Sales;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Realtime;

/// <summary>
/// The viewers' hub (<c>/hubs/live</c>). Its methods' names and parameters are the protocol of PROTOCOL.md, so they
/// stay here while each call goes to its feature's handler, which asks the grain that owns the answer. Who may call a
/// method is declared on it (<see cref="HubPolicyAttribute"/>, checked by <see cref="HubPolicyFilter"/>); the grains
/// decide what is the caller's. Room events do not go out from here but from the grains (see
/// <see cref="HubRoomEventObserver"/>); only a buyer's own <c>PurchaseConfirmed</c> is sent on a call, at once
/// (see <see cref="SaleHubHandler"/>).
/// </summary>
public sealed class LiveHub(
    ConnectionHubHandler lifecycle,
    RoomHubHandler rooms,
    SaleHubHandler sales,
    CartHubHandler carts) : Hub<ILiveClient>
{
    public override Task OnConnectedAsync() => lifecycle.ConnectedAsync(Context);

    public override Task OnDisconnectedAsync(Exception? exception) => lifecycle.DisconnectedAsync(Context);

    /// <summary>Joins the room's group and answers its snapshot; the connection then receives the room's events.</summary>
    public Task<RoomSnapshot> JoinRoom(string roomId) => rooms.JoinRoomAsync(Context, Groups, roomId);

    /// <summary>
    /// Joins the room's group and answers every event after <paramref name="seq"/> of <paramref name="epoch"/>, or a
    /// snapshot when those are no longer retained (PROTOCOL v1.3).
    /// </summary>
    public Task<RoomResume> ResumeRoom(string roomId, string epoch, long seq) => rooms.ResumeRoomAsync(Context, Groups, roomId, epoch, seq);

    public Task LeaveRoom(string roomId) => rooms.LeaveRoomAsync(Context, Groups, roomId);

    [HubPolicy(LivePolicies.User)]
    public Task<ChatMessage> SendChat(string roomId, string text) => rooms.SendChatAsync(Context, roomId, text);

    [HubPolicy(LivePolicies.User)]
    public Task<long> Like(string roomId, int count) => rooms.LikeAsync(Context, roomId, count);

    [HubPolicy(LivePolicies.User)]
    public Task<PurchaseResult> BuyNow(string saleId, int quantity, string requestId) =>
        sales.BuyNowAsync(Context, Clients, saleId, quantity, requestId);

    /// <summary>
    /// <c>BuyNow</c> whose answer carries the new order, so this connection is not also sent its <c>PurchaseConfirmed</c>
    /// (the buyer's other connections are) (PROTOCOL v1.6).
    /// </summary>
    [HubPolicy(LivePolicies.User)]
    public Task<PurchaseResult> BuyNowWithOrder(string saleId, int quantity, string requestId) =>
        sales.BuyNowAsync(Context, Clients, saleId, quantity, requestId, answerWithOrder: true);

    [HubPolicy(LivePolicies.User)]
    public Task<Cart> AddToCart(string productId, int quantity, string? roomId) =>
        carts.AddToCartAsync(Context, productId, quantity, roomId);

    /// <summary>
    /// <c>AddToCart</c> under the client's <paramref name="idempotencyKey"/> (PROTOCOL v1.7): the same key adds once, so
    /// a client may send the add again after a dropped connection.
    /// </summary>
    [HubPolicy(LivePolicies.User)]
    public Task<Cart> AddToCartWithKey(string productId, int quantity, string? roomId, string idempotencyKey) =>
        carts.AddToCartWithKeyAsync(Context, productId, quantity, roomId, idempotencyKey);
}
