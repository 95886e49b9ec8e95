using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Live.Hub.Delivery;

/// <summary>
/// SignalR's lifetime manager with room groups delivered through the connections' outboxes. Everything about a room
/// group (<see cref="RoomGroups"/>) is handled here: joining and leaving are <see cref="LocalDelivery"/>'s index of
/// local viewers, and a send to a room group goes through the <see cref="IRoomRelay"/> (one Redis publish behind
/// several hub servers) to every server's outboxes. A send to one local connection (<c>RemovedFromRoom</c>) and a send
/// to a user (<c>Clients.User</c>: the buyer's <c>PurchaseConfirmed</c>, through the relay's user channel behind
/// several servers) go through the outboxes too, in their lanes. Everything else (sends to all, to other groups,
/// client results) is the wrapped manager's: SignalR's default one, or its Redis backplane; RedLive sends none of them.
/// </summary>
/// <remarks>
/// Why a wrapper rather than a manager of our own: SignalR keeps the connection store, user sends and client results
/// working across servers; only the room path needed bounded, per-connection writes. The hub, its handlers and the
/// room-event observer keep calling <c>Groups</c> and <c>Clients.Group</c> as before.
/// </remarks>
internal sealed class OutboxHubLifetimeManager<THub>(HubLifetimeManager<THub> inner, LocalDelivery delivery, IRoomRelay relay)
    : HubLifetimeManager<THub>
    where THub : Microsoft.AspNetCore.SignalR.Hub
{
    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        delivery.Connected(new HubOutboxConnection(connection), connection.UserIdentifier);
        await inner.OnConnectedAsync(connection);
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        delivery.Disconnected(connection.ConnectionId);
        await inner.OnDisconnectedAsync(connection);
    }

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        RoomGroups.TryParse(groupName, out var roomId) && delivery.TryJoin(connectionId, roomId)
            ? Task.CompletedTask
            : inner.AddToGroupAsync(connectionId, groupName, cancellationToken);

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default) =>
        RoomGroups.TryParse(groupName, out var roomId) && delivery.TryLeave(connectionId, roomId)
            ? Task.CompletedTask
            : inner.RemoveFromGroupAsync(connectionId, groupName, cancellationToken);

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        RoomGroups.TryParse(groupName, out var roomId)
            ? relay.SendAsync(roomId, methodName, args, cancellationToken)
            : inner.SendGroupAsync(groupName, methodName, args, cancellationToken);

    public override async Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var others = new List<string>();
        foreach (var groupName in groupNames)
        {
            if (RoomGroups.TryParse(groupName, out var roomId))
            {
                await relay.SendAsync(roomId, methodName, args, cancellationToken);
            }
            else
            {
                others.Add(groupName);
            }
        }

        if (others.Count > 0)
        {
            await inner.SendGroupsAsync(others, methodName, args, cancellationToken);
        }
    }

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        RoomGroups.TryParse(groupName, out _)
            ? throw new NotSupportedException("a room event goes to every viewer of the room")
            : inner.SendGroupExceptAsync(groupName, methodName, args, excludedConnectionIds, cancellationToken);

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        delivery.ToConnection(connectionId, methodName, args)
            ? Task.CompletedTask
            : inner.SendConnectionAsync(connectionId, methodName, args, cancellationToken);

    public override async Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var remote = connectionIds.Where(id => !delivery.ToConnection(id, methodName, args)).ToList();
        if (remote.Count > 0)
        {
            await inner.SendConnectionsAsync(remote, methodName, args, cancellationToken);
        }
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        inner.SendAllAsync(methodName, args, cancellationToken);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        inner.SendAllExceptAsync(methodName, args, excludedConnectionIds, cancellationToken);

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        relay.SendUserAsync(userId, methodName, args, cancellationToken);

    public override async Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        foreach (var userId in userIds)
        {
            await relay.SendUserAsync(userId, methodName, args, cancellationToken);
        }
    }

    public override Task<T> InvokeConnectionAsync<T>(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken) =>
        inner.InvokeConnectionAsync<T>(connectionId, methodName, args, cancellationToken);

    public override Task SetConnectionResultAsync(string connectionId, CompletionMessage result) =>
        inner.SetConnectionResultAsync(connectionId, result);

    public override bool TryGetReturnType(string invocationId, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Type? type) =>
        inner.TryGetReturnType(invocationId, out type);
}
