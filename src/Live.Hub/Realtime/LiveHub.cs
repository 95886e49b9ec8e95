using Live.Contracts;
using Live.Contracts.Carts;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Live.Hub.Identity;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Live.Hub.Realtime;

/// <summary>
/// The viewers' hub (<c>/hubs/live</c>). Thin on purpose: it checks who is calling and what they may do, then asks
/// the grain that owns the answer. Room events do not go out from here but from the grains (see
/// <see cref="HubRoomEventObserver"/>); only a buyer's own <c>PurchaseConfirmed</c> is sent here, at once.
/// </summary>
public sealed class LiveHub(
    IGrainFactory grains,
    RoomPresence presence,
    ConnectionRegistry connections,
    UserRateLimiter limits,
    LiveHubMetrics metrics,
    IOptions<LiveHubOptions> options) : Hub<ILiveClient>
{
    public override Task OnConnectedAsync()
    {
        var user = LiveUser.From(Context.User);
        var count = connections.Connected(Context.ConnectionId, user?.UserId);
        metrics.Connected();
        if (user is not null && count > options.Value.MaxConnectionsPerUser)
        {
            // Refusing here closes the connection; OnDisconnectedAsync still runs and unregisters it.
            throw new HubException($"{ErrorCodes.RateLimited}: at most {options.Value.MaxConnectionsPerUser} connections per user");
        }

        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.Disconnected();
        foreach (var roomId in connections.Disconnected(Context.ConnectionId))
        {
            presence.Left(roomId);
        }

        return Task.CompletedTask;
    }

    /// <summary>Joins the room's group and answers its snapshot; the connection then receives the room's events.</summary>
    public async Task<RoomSnapshot> JoinRoom(string roomId)
    {
        Ids.Require(roomId, "roomId");
        var user = LiveUser.From(Context.User);
        limits.Join(user?.UserId ?? Context.ConnectionId);
        var room = grains.GetGrain<ILiveRoomGrain>(roomId);

        // Join the group before taking the snapshot, so that no event falls between the two.
        var snapshotTask = room.JoinAsync(user?.UserId);
        await Groups.AddToGroupAsync(Context.ConnectionId, RoomGroups.Name(roomId));
        RoomSnapshot snapshot;
        try
        {
            snapshot = await snapshotTask;
        }
        catch
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, RoomGroups.Name(roomId));
            throw;
        }

        try
        {
            if (connections.Join(Context.ConnectionId, roomId, options.Value.MaxRoomsPerConnection))
            {
                presence.Joined(roomId);
            }
        }
        catch (LiveException)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, RoomGroups.Name(roomId));
            throw;
        }

        return snapshot;
    }

    public async Task LeaveRoom(string roomId)
    {
        Ids.Require(roomId, "roomId");
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, RoomGroups.Name(roomId));
        if (connections.Leave(Context.ConnectionId, roomId))
        {
            presence.Left(roomId);
        }
    }

    public async Task<ChatMessage> SendChat(string roomId, string text)
    {
        var user = LiveUser.Require(Context.User);
        RequireJoined(roomId);

        // Checked here too: Orleans carries strings as UTF-8, which would turn broken UTF-16 into U+FFFD on the way.
        TextRules.Require(text, "text", 500);
        limits.Chat(user.UserId);
        var message = await grains.GetGrain<ILiveRoomGrain>(roomId).SendChatAsync(user.ToCaller(), text);
        metrics.ChatAccepted();
        return message;
    }

    public Task<long> Like(string roomId, int count)
    {
        var user = LiveUser.Require(Context.User);
        RequireJoined(roomId);
        limits.Like(user.UserId);
        return grains.GetGrain<ILiveRoomGrain>(roomId).LikeAsync(user.ToCaller(), count);
    }

    public async Task<PurchaseResult> BuyNow(string saleId, int quantity, string requestId)
    {
        var user = LiveUser.Require(Context.User);
        Ids.Require(saleId, "saleId");
        limits.Buy(user.UserId);
        var outcome = await grains.GetGrain<IFlashSaleGrain>(saleId).BuyNowAsync(user.ToCaller(), quantity, requestId);
        metrics.Purchase(outcome.Result.Status);
        if (outcome.NewOrder is { } order)
        {
            // The buyer hears at once, on every connection of theirs; the room only sees the coalesced counter.
            await ConfirmToBuyerAsync(user.UserId, order);
        }

        return outcome.Result;
    }

    public Task<Cart> AddToCart(string productId, int quantity, string? roomId)
    {
        var user = LiveUser.Require(Context.User);
        return grains.GetGrain<ICartGrain>(user.UserId).AddItemAsync(productId, quantity, string.IsNullOrEmpty(roomId) ? null : roomId);
    }

    /// <remarks>
    /// With the backplane, <c>Clients.User</c> is one publish to the user's channel and reaches their connections on
    /// every hub server. Without one, this server holds all of them and its own index finds them: SignalR's
    /// in-memory <c>Clients.User</c> (and <c>Clients.Clients(ids)</c>) test every connection of the server, per
    /// purchase, while <c>Clients.Client(id)</c> is one lookup (docs/PERF.md §8).
    /// </remarks>
    private Task ConfirmToBuyerAsync(string userId, Order order)
    {
        if (options.Value.Backplane != Backplanes.None)
        {
            return Clients.User(userId).PurchaseConfirmed(order);
        }

        return Task.WhenAll(connections.ConnectionsOf(userId).Select(id => Clients.Client(id).PurchaseConfirmed(order)));
    }

    private void RequireJoined(string roomId)
    {
        Ids.Require(roomId, "roomId");
        if (!connections.IsJoined(Context.ConnectionId, roomId))
        {
            throw LiveException.Forbidden($"join room {roomId} first");
        }
    }
}
