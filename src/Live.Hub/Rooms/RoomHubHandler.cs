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
        var user = HubCaller.From(caller);
        TakeJoin(caller, user);
        var room = grains.GetGrainByKey<ILiveRoomGrain>(roomId);
        var snapshot = await EnterAsync(caller, groups, roomId, () => room.JoinAsync(user?.UserId));
        return Shown(snapshot, user, time.GetUtcNow());
    }

    /// <summary>
    /// PROTOCOL v1.3's <c>ResumeRoom</c>: joins the room like <see cref="JoinRoomAsync"/> and answers what the client
    /// missed after <paramref name="seq"/> of <paramref name="epoch"/>, or a snapshot to start again from.
    /// </summary>
    public async Task<RoomResume> ResumeRoomAsync(HubCallerContext caller, IGroupManager groups, string roomId, string epoch, long seq)
    {
        Ids.Require(roomId, "roomId");
        Ids.Require(epoch, "epoch");
        if (seq < 0)
        {
            throw LiveException.Invalid("seq must be 0 or more");
        }

        var user = HubCaller.From(caller);
        TakeJoin(caller, user);
        var room = grains.GetGrainByKey<ILiveRoomGrain>(roomId);
        var catchUp = await EnterAsync(caller, groups, roomId, () => room.ResumeAsync(user?.UserId, epoch, seq));
        var now = time.GetUtcNow();
        return new RoomResume(
            catchUp.Resumed,
            catchUp.Epoch,
            catchUp.Seq,
            (user is null && catchUp.Events is { } events ? privacy.ForAnonymous(events, catchUp.HostId) : catchUp.Events)?.Select(e => RoomEventWire.Frame(e, now)).ToArray(),
            catchUp.Snapshot is { } snapshot ? Shown(snapshot, user, now) : null);
    }

    /// <summary>
    /// Marks the connection joined and adds it to the room's group, then asks the room: the group join has completed
    /// before the room answers, so every event the room sends after its answer (numbered above it) reaches this
    /// connection, and what it sent before is in the answer (a client drops a live event numbered at or below it).
    /// Joined before the room is asked, so a ban that lands while the room answers finds the connection and takes it
    /// out (<c>BanEnforcer</c>). Undone if the room fails, but only what this call did: a connection already in the
    /// room (a catch-up after a gap, a second join) stays in it through a passing failure, and keeps receiving its
    /// events; a refusal for good (<c>forbidden</c>, <c>not_found</c>) takes it out whoever entered it.
    /// </summary>
    private async Task<T> EnterAsync<T>(HubCallerContext caller, IGroupManager groups, string roomId, Func<Task<T>> ask)
    {
        var group = RoomGroups.Name(roomId);
        var entered = connections.Join(caller.ConnectionId, roomId, options.Value.MaxRoomsPerConnection);
        if (entered)
        {
            presence.Joined(roomId);
        }

        try
        {
            await groups.AddToGroupAsync(caller.ConnectionId, group);
            return await ask();
        }
        catch (Exception e) when (entered || e is LiveException { Code: ErrorCodes.Forbidden or ErrorCodes.NotFound })
        {
            // Left when this call entered, and when the room refused the connection for good (banned, or gone), whoever
            // entered it: a banned viewer must not keep the room's events because its removal (BanEnforcer) was lost.
            // A passing failure (unavailable) of a connection already in the room leaves it there.
            if (connections.Leave(caller.ConnectionId, roomId))
            {
                presence.Left(roomId);
            }

            await groups.RemoveFromGroupAsync(caller.ConnectionId, group);
            throw;
        }
    }

    /// <summary>
    /// A join's limits: per user, or for an anonymous viewer per connection and per client address (a new connection
    /// has a full bucket, so the address's bucket bounds a client that reconnects to join again). Addresses count only
    /// where the operator counts them (<see cref="LiveHubOptions.MaxAnonymousConnectionsPerAddress"/> above 0): behind
    /// a balancer that hides them every viewer would share one.
    /// </summary>
    private void TakeJoin(HubCallerContext caller, LiveUser? user)
    {
        limits.Join(user?.UserId ?? caller.ConnectionId);
        if (user is null && options.Value.MaxAnonymousConnectionsPerAddress > 0)
        {
            limits.AnonymousJoin(caller.GetHttpContext()?.Connection.RemoteIpAddress?.ToString());
        }
    }

    private RoomSnapshot Shown(RoomSnapshot snapshot, LiveUser? user, DateTimeOffset now)
    {
        snapshot = snapshot.At(now);
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
        var user = HubCaller.Require(caller);
        RequireJoined(caller, roomId);

        // Checked here too: Orleans carries strings as UTF-8, which would turn broken UTF-16 into U+FFFD on the way.
        TextRules.Require(text, "text", 500);
        limits.Chat(user.UserId);
        // The id is chosen here, once: the grain call may be sent again across a silo's loss, and is then answered as the first.
        var message = await grains.GetGrainByKey<ILiveRoomGrain>(roomId).SendChatAsync(user.ToCaller(), text, Ids.New("msg"));
        metrics.ChatAccepted();
        return message;
    }

    public Task<long> LikeAsync(HubCallerContext caller, string roomId, int count)
    {
        var user = HubCaller.Require(caller);
        RequireJoined(caller, roomId);
        limits.Like(user.UserId);
        return grains.GetGrainByKey<ILiveRoomGrain>(roomId).LikeAsync(user.ToCaller(), count, Ids.New("like"));
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
