using Live.Contracts;
using Live.Contracts.Rooms;
using Live.Hub.Identity;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Live.Hub.Rooms;

/// <summary>
/// The hub's room calls: joining and leaving a room's group, and chat and likes, which only a connection that
/// joined the room may send.
/// </summary>
public sealed class RoomHubHandler(
    IGrainFactory grains,
    RoomPresence presence,
    ConnectionRegistry connections,
    UserRateLimiter limits,
    LiveHubMetrics metrics,
    ChatPrivacy privacy,
    TimeProvider time,
    IOptions<LiveHubOptions> options)
{
    public async Task<RoomSnapshot> JoinRoomAsync(HubCallerContext caller, IGroupManager groups, string roomId)
    {
        Ids.Require(roomId, "roomId");
        var user = LiveUser.From(caller.User);
        limits.Join(user?.UserId ?? caller.ConnectionId);
        var room = grains.GetGrain<ILiveRoomGrain>(roomId);

        // Join the group before taking the snapshot, so that no event falls between the two.
        var snapshotTask = room.JoinAsync(user?.UserId);
        await groups.AddToGroupAsync(caller.ConnectionId, RoomGroups.Name(roomId));
        RoomSnapshot snapshot;
        try
        {
            snapshot = await snapshotTask;
        }
        catch
        {
            await groups.RemoveFromGroupAsync(caller.ConnectionId, RoomGroups.Name(roomId));
            throw;
        }

        try
        {
            if (connections.Join(caller.ConnectionId, roomId, options.Value.MaxRoomsPerConnection))
            {
                presence.Joined(roomId);
            }
        }
        catch (LiveException)
        {
            await groups.RemoveFromGroupAsync(caller.ConnectionId, RoomGroups.Name(roomId));
            throw;
        }

        snapshot = snapshot.At(time.GetUtcNow());
        return user is null ? privacy.ForAnonymous(snapshot) : snapshot;
    }

    public async Task LeaveRoomAsync(HubCallerContext caller, IGroupManager groups, string roomId)
    {
        Ids.Require(roomId, "roomId");
        await groups.RemoveFromGroupAsync(caller.ConnectionId, RoomGroups.Name(roomId));
        if (connections.Leave(caller.ConnectionId, roomId))
        {
            presence.Left(roomId);
        }
    }

    public async Task<ChatMessage> SendChatAsync(HubCallerContext caller, string roomId, string text)
    {
        var user = LiveUser.Require(caller.User);
        RequireJoined(caller, roomId);

        // Checked here too: Orleans carries strings as UTF-8, which would turn broken UTF-16 into U+FFFD on the way.
        TextRules.Require(text, "text", 500);
        limits.Chat(user.UserId);
        var message = await grains.GetGrain<ILiveRoomGrain>(roomId).SendChatAsync(user.ToCaller(), text);
        metrics.ChatAccepted();
        return message;
    }

    public Task<long> LikeAsync(HubCallerContext caller, string roomId, int count)
    {
        var user = LiveUser.Require(caller.User);
        RequireJoined(caller, roomId);
        limits.Like(user.UserId);
        return grains.GetGrain<ILiveRoomGrain>(roomId).LikeAsync(user.ToCaller(), count);
    }

    private void RequireJoined(HubCallerContext caller, string roomId)
    {
        Ids.Require(roomId, "roomId");
        if (!connections.IsJoined(caller.ConnectionId, roomId))
        {
            throw LiveException.Forbidden($"join room {roomId} first");
        }
    }
}
