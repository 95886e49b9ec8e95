using Live.Contracts.Rooms;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Live.Hub.Delivery;

/// <summary>
/// One event on its way to connections: the invocation, its lane and latest-value key, and its serialized form. A
/// frame fanned out to a room is one object shared by every outbox it is queued in, so it is serialized once per
/// protocol (<see cref="SerializedHubMessage"/> caches each), as SignalR's own group sends are.
/// </summary>
public sealed class OutboxFrame
{
    private SerializedHubMessage? _message;

    private OutboxFrame(string? roomId, string method, object?[] args)
    {
        RoomId = roomId;
        Method = method;
        Args = args;
        Lane = OutboxLanes.Of(method);
        Key = OutboxLanes.LatestKey(roomId, method, args);
    }

    /// <summary>The room the event belongs to; null for an event to one connection (<c>PurchaseConfirmed</c>).</summary>
    public string? RoomId { get; }

    public string Method { get; }

    public object?[] Args { get; }

    public OutboxLane Lane { get; }

    /// <summary>The latest-value key (<see cref="OutboxLanes.LatestKey"/>); null in the other lanes.</summary>
    public string? Key { get; }

    /// <summary>The chat messages of a <c>ChatBatch</c> frame, oldest first; empty for every other event.</summary>
    public IReadOnlyList<ChatMessage> Chat => Method == nameof(ILiveClient.ChatBatch) && Args is [IReadOnlyList<ChatMessage> chat] ? chat : [];

    public SerializedHubMessage Message => _message ??= new SerializedHubMessage(new InvocationMessage(Method, Args));

    public static OutboxFrame For(string? roomId, string method, object?[] args) => new(roomId, method, args);

    public static OutboxFrame ChatBatch(string roomId, IReadOnlyList<ChatMessage> messages) =>
        new(roomId, nameof(ILiveClient.ChatBatch), [messages]);

    /// <summary>One <c>ChatBatch</c> of a run of chat frames of one room, in order (a lagging connection's queue).</summary>
    public static OutboxFrame MergeChat(IReadOnlyList<OutboxFrame> run)
    {
        if (run.Count == 1)
        {
            return run[0];
        }

        var messages = new List<ChatMessage>(run.Sum(f => f.Chat.Count));
        foreach (var frame in run)
        {
            messages.AddRange(frame.Chat);
        }

        return ChatBatch(run[0].RoomId!, messages);
    }
}
