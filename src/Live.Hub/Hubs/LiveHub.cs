using Live.Grains;
using Live.Grains.Carts;
using Live.Grains.FlashSales;
using Live.Grains.Rooms;
using Live.Hub.Auth;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Live.Hub.Hubs;

/// <summary>
/// The viewers' hub (<c>/hubs/live</c>). Thin on purpose: it checks who is calling and what they may do, then asks
/// the grain that owns the answer. Room events do not go out from here but from the grains (see
/// <see cref="HubRoomEventObserver"/>); only a buyer's own <c>PurchaseConfirmed</c> is sent here, at once.
/// </summary>
public sealed class LiveHub(
    IGrainFactory grains,
    RoomPresence presence,
    UserRateLimiter limits,
    LiveHubMetrics metrics,
    IOptions<LiveHubOptions> options) : Hub<ILiveClient>
{
    private const string JoinedRoomsKey = "rooms";

    public override Task OnConnectedAsync()
    {
        metrics.Connected();
        return Task.CompletedTask;
    }

    public override Task OnDisconnectedAsync(Exception? exception)
    {
        metrics.Disconnected();
        var rooms = JoinedRooms;
        lock (rooms)
        {
            foreach (var roomId in rooms)
            {
                presence.Left(roomId);
            }

            rooms.Clear();
        }

        return Task.CompletedTask;
    }

    /// <summary>Joins the room's group and answers its snapshot; the connection then receives the room's events.</summary>
    public async Task<RoomSnapshot> JoinRoom(string roomId)
    {
        Ids.Require(roomId, "roomId");
        var room = grains.GetGrain<ILiveRoomGrain>(roomId);

        // Join the group before taking the snapshot, so that no event falls between the two.
        var snapshotTask = room.GetSnapshotAsync();
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

        var rooms = JoinedRooms;
        lock (rooms)
        {
            if (!rooms.Contains(roomId))
            {
                if (rooms.Count >= options.Value.MaxRoomsPerConnection)
                {
                    throw LiveException.Conflict($"a connection may join at most {options.Value.MaxRoomsPerConnection} rooms");
                }

                rooms.Add(roomId);
                presence.Joined(roomId);
            }
        }

        return snapshot;
    }

    public async Task LeaveRoom(string roomId)
    {
        Ids.Require(roomId, "roomId");
        await Groups.RemoveFromGroupAsync(Context.ConnectionId, RoomGroups.Name(roomId));
        var rooms = JoinedRooms;
        lock (rooms)
        {
            if (rooms.Remove(roomId))
            {
                presence.Left(roomId);
            }
        }
    }

    public async Task<ChatMessage> SendChat(string roomId, string text)
    {
        var user = LiveUser.Require(Context.User);
        RequireJoined(roomId);
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
            await Clients.User(user.UserId).PurchaseConfirmed(order);
        }

        return outcome.Result;
    }

    public Task<Cart> AddToCart(string productId, int quantity, string? roomId)
    {
        var user = LiveUser.Require(Context.User);
        return grains.GetGrain<ICartGrain>(user.UserId).AddItemAsync(productId, quantity, string.IsNullOrEmpty(roomId) ? null : roomId);
    }

    private HashSet<string> JoinedRooms
    {
        get
        {
            if (!Context.Items.TryGetValue(JoinedRoomsKey, out var value) || value is not HashSet<string> rooms)
            {
                rooms = new HashSet<string>(StringComparer.Ordinal);
                Context.Items[JoinedRoomsKey] = rooms;
            }

            return rooms;
        }
    }

    private void RequireJoined(string roomId)
    {
        Ids.Require(roomId, "roomId");
        var rooms = JoinedRooms;
        lock (rooms)
        {
            if (!rooms.Contains(roomId))
            {
                throw LiveException.Forbidden($"join room {roomId} first");
            }
        }
    }
}
