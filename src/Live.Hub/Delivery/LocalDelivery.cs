using System.Collections.Concurrent;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Live.Hub.Realtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Live.Hub.Delivery;

/// <summary>
/// This hub server's side of every room event: the rooms its connections joined and each connection's
/// <see cref="ConnectionOutbox"/>. An event of a room is one <see cref="OutboxFrame"/> queued in the outbox of each
/// local viewer of the room (serialized once per protocol, shared); chat goes through the room's <see cref="ChatPacer"/>
/// first. Events of one room are fanned out under the room's lock, so every viewer's outbox gets them in the room's order.
/// Sends to a user (<see cref="ToUser"/>) and to one connection go through the same outboxes, so the lanes and bounds
/// hold for every send.
/// </summary>
public sealed class LocalDelivery : IDisposable
{
    private static readonly TimeSpan ChattyFor = TimeSpan.FromSeconds(2);

    /// <summary>The worker's own item: the room's held chat is due (<see cref="ChatPacer.DueAt"/>).</summary>
    private static readonly string FlushDue = new("\0flush-due");

    /// <summary>An inbox item dropped past the bound, taken out once the inbox is trimmed.</summary>
    private static readonly string DroppedItem = new("\0dropped");

    /// <summary>What goes first when a room's inbox is over its bound: as in a connection's outbox, chat, then values.</summary>
    private static readonly OutboxLane[] DropOrder = [OutboxLane.Droppable, OutboxLane.LatestValue, OutboxLane.MustDeliver];

    /// <summary>
    /// Orders a connection may have answered (<see cref="AnsweredOrder"/>) whose confirmation has not passed through yet:
    /// more than one buyer's purchases in flight on one connection, far fewer than a connection's outbox holds.
    /// </summary>
    public const int MaxAnsweredOrders = 64;

    private readonly ConcurrentDictionary<string, Member> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Member[]> _users = new(StringComparer.Ordinal);
    private readonly OutboxOptions _outbox;
    private readonly FrameBudget _budget;
    private readonly TimeProvider _time;
    private readonly DeliveryMetrics _metrics;
    private readonly ILogger<LocalDelivery> _logger;
    private long _chattyViewers;

    public LocalDelivery(IOptions<OutboxOptions> outbox, IOptions<FrameBudgetOptions> budget, TimeProvider time, DeliveryMetrics metrics, ILogger<LocalDelivery>? logger = null)
    {
        _logger = logger ?? NullLogger<LocalDelivery>.Instance;
        _outbox = outbox.Value;
        _budget = new FrameBudget(budget.Value);
        _time = time;
        _metrics = metrics;
        metrics.Track(this);
    }

    /// <param name="connection">The connection.</param>
    /// <param name="userId">Its user (SignalR's user identifier), whose sends (<see cref="ToUser"/>) reach it; null when anonymous.</param>
    public ConnectionOutbox Connected(IOutboxConnection connection, string? userId = null)
    {
        var member = new Member(new ConnectionOutbox(connection, _outbox, _time, _metrics), userId);
        _connections[connection.ConnectionId] = member;
        if (userId is not null)
        {
            lock (_users)
            {
                _users[userId] = _users.TryGetValue(userId, out var mine) ? [.. mine, member] : [member];
            }
        }

        return member.Outbox;
    }

    public void Disconnected(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var member))
        {
            return;
        }

        string[] rooms;
        lock (member.Rooms)
        {
            member.Gone = true;
            rooms = [.. member.Rooms];
            member.Rooms.Clear();
        }

        foreach (var roomId in rooms)
        {
            RemoveFromRoom(member, roomId);
        }

        if (member.UserId is { } userId)
        {
            lock (_users)
            {
                if (_users.TryGetValue(userId, out var mine))
                {
                    var rest = Array.FindAll(mine, m => !ReferenceEquals(m, member));
                    if (rest.Length == 0)
                    {
                        _users.Remove(userId);
                    }
                    else
                    {
                        _users[userId] = rest;
                    }
                }
            }
        }

        member.Outbox.Discard();
    }

    /// <summary>Adds a local connection to the room's viewers; false when the connection is not on this server.</summary>
    public bool TryJoin(string connectionId, string roomId)
    {
        if (!_connections.TryGetValue(connectionId, out var member))
        {
            return false;
        }

        lock (member.Rooms)
        {
            if (member.Gone || !member.Rooms.Add(roomId))
            {
                return true;
            }
        }

        while (true)
        {
            var room = _rooms.GetOrAdd(roomId, id => new Room(id, new ChatPacer(_budget.Options)));
            lock (room)
            {
                if (room.Removed)
                {
                    continue;
                }

                room.Members = [.. room.Members, member.Outbox];
            }

            break;
        }

        // A join racing the connection's close: whichever of the two ran second takes the connection out again.
        bool gone;
        lock (member.Rooms)
        {
            gone = member.Gone;
        }

        if (gone)
        {
            RemoveFromRoom(member, roomId);
        }

        return true;
    }

    /// <summary>Takes a local connection out of the room's viewers; false when the connection is not on this server.</summary>
    public bool TryLeave(string connectionId, string roomId)
    {
        if (!_connections.TryGetValue(connectionId, out var member))
        {
            return false;
        }

        bool wasIn;
        lock (member.Rooms)
        {
            wasIn = member.Rooms.Remove(roomId);
        }

        if (wasIn)
        {
            RemoveFromRoom(member, roomId);
        }

        return true;
    }

    /// <summary>
    /// Hands a room event to the room's delivery on this server and returns at once (none of its viewers here: nothing
    /// to do). One worker of the room at a time fans the handed events out with <see cref="ToRoom"/>, in the order they
    /// were handed; chat handed while a fan-out was under way goes out as one frame. So the caller (the room-event
    /// observer, the Redis relay's subscriber) does not wait for a fan-out of thousands of writes before it takes the
    /// next event, and a room whose fan-outs are slow sends fewer, fuller frames instead of queueing frames.
    /// </summary>
    public void Post(string roomId, string method, object?[] args)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return;
        }

        if (method == nameof(ILiveClient.ChatBatch) && args is [IReadOnlyList<ChatMessage> chat])
        {
            DeliveryMetrics.ChatLagged(chat, _time.GetUtcNow(), sent: false);
        }

        Hand(room, new Posted(method, args));
    }

    /// <summary>Queues a room event for every local viewer of the room now, on the caller's thread (none: nothing to do).</summary>
    public void ToRoom(string roomId, string method, object?[] args)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return;
        }

        lock (room)
        {
            var now = _time.GetUtcNow();
            if (method == nameof(ILiveClient.ChatBatch) && args is [IReadOnlyList<ChatMessage> messages])
            {
                room.LastChatAt = now;
                var interval = _budget.ChatInterval(Math.Max(room.Members.Length, Interlocked.Read(ref _chattyViewers)));
                if (room.Pacer.Add(messages, interval, now) is { } frame)
                {
                    FanOut(room, OutboxFrame.ChatBatch(roomId, frame));
                }
                else
                {
                    Schedule(room, now);
                }

                return;
            }

            if (room.Pacer.TakeAll(now) is { } held)
            {
                FanOut(room, OutboxFrame.ChatBatch(roomId, held));
            }

            FanOut(room, OutboxFrame.For(roomId, method, args));
        }
    }

    /// <summary>Queues an event for one local connection; false when the connection is not on this server.</summary>
    public bool ToConnection(string connectionId, string method, object?[] args)
    {
        if (!_connections.TryGetValue(connectionId, out var member))
        {
            return false;
        }

        member.Outbox.Enqueue(OutboxFrame.For(null, method, args));
        return true;
    }

    /// <summary>
    /// Queues an event for every local connection of a user (<c>Clients.User</c>: the buyer's own
    /// <c>PurchaseConfirmed</c>), in its lane like any other, except a connection whose answer already carried the order
    /// (<see cref="AnsweredOrder"/>); how many connections it reached.
    /// </summary>
    public int ToUser(string userId, string method, object?[] args)
    {
        Member[]? mine;
        lock (_users)
        {
            mine = _users.GetValueOrDefault(userId);
        }

        if (mine is null)
        {
            return 0;
        }

        var answered = method == nameof(ILiveClient.PurchaseConfirmed) && args is [Order order] ? order.Id : null;
        var frame = OutboxFrame.For(null, method, args);
        var reached = 0;
        foreach (var member in mine)
        {
            if (answered is not null && member.TakeAnswered(answered))
            {
                continue;
            }

            member.Outbox.Enqueue(frame);
            reached++;
        }

        _metrics.FramesSent(reached);
        return reached;
    }

    /// <summary>
    /// The connection's answer carries order <paramref name="orderId"/> (<c>BuyNowWithOrder</c>): the order's
    /// <c>PurchaseConfirmed</c> skips this connection, once. A connection keeps at most
    /// <see cref="MaxAnsweredOrders"/> of these (its oldest is forgotten, and that order's confirmation then reaches it
    /// as well: a duplicate, never a loss); none when it is not on this server.
    /// </summary>
    public void AnsweredOrder(string connectionId, string orderId)
    {
        if (_connections.TryGetValue(connectionId, out var member))
        {
            member.Answered(orderId);
        }
    }

    /// <summary>Whether any connection of the user is on this server.</summary>
    public bool HasUser(string userId)
    {
        lock (_users)
        {
            return _users.ContainsKey(userId);
        }
    }

    /// <summary>Closes connections whose writes are blocked, or whose must-deliver events wait, past their bounds, and refreshes the frame budget's count of busy viewers.</summary>
    public int Sweep()
    {
        var closed = 0;
        foreach (var member in _connections.Values)
        {
            if (member.Outbox.Sweep())
            {
                closed++;
            }
        }

        var now = _time.GetUtcNow();
        long chatty = 0;
        foreach (var room in _rooms.Values)
        {
            if (now - room.LastChatAt < ChattyFor)
            {
                chatty += room.Members.Length;
            }
        }

        Interlocked.Exchange(ref _chattyViewers, chatty);
        return closed;
    }

    /// <summary>This server's viewers of the room.</summary>
    public int ViewersOf(string roomId) => _rooms.TryGetValue(roomId, out var room) ? room.Members.Length : 0;

    /// <summary>The connection's outbox (a diagnostic); null when the connection is not on this server.</summary>
    public ConnectionOutbox? OutboxOf(string connectionId) => _connections.TryGetValue(connectionId, out var member) ? member.Outbox : null;

    public long QueuedBytes() => _connections.Values.Sum(m => m.Outbox.QueuedBytes);

    public long MaxQueuedBytes() => _connections.Values.Select(m => m.Outbox.QueuedBytes).DefaultIfEmpty().Max();

    public void Dispose()
    {
        _metrics.Untrack(this);
        foreach (var room in _rooms.Values)
        {
            lock (room)
            {
                room.Timer?.Dispose();
            }
        }
    }

    private void FanOut(Room room, OutboxFrame frame)
    {
        if (frame.Lane == OutboxLane.Droppable)
        {
            DeliveryMetrics.ChatLagged(frame.Chat, _time.GetUtcNow(), sent: true);
        }

        var members = room.Members;
        foreach (var outbox in members)
        {
            outbox.Enqueue(frame);
        }

        _metrics.FramesSent(members.Length);
    }

    private void Schedule(Room room, DateTimeOffset now)
    {
        if (room.Pacer.DueAt is not { } due)
        {
            return;
        }

        // The held chat leaves through the room's worker, like everything else of the room: one thread fans the room
        // out at a time, and no pool thread blocks on the room's lock behind a fan-out of thousands of writes.
        room.Timer ??= _time.CreateTimer(static state => ((State)state!).Delivery.Hand(((State)state).Room, new Posted(FlushDue, [])), new State(this, room), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        room.Timer.Change(due > now ? due - now : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
    }

    private void Flush(Room room)
    {
        lock (room)
        {
            if (room.Removed)
            {
                return;
            }

            var now = _time.GetUtcNow();
            if (room.Pacer.TakeDue(now) is { } frame)
            {
                FanOut(room, OutboxFrame.ChatBatch(room.Id, frame));
            }
            else
            {
                // Woken early (timers are not exact): wait for the rest.
                Schedule(room, now);
            }
        }
    }

    /// <summary>
    /// Queues <paramref name="item"/> for the room's worker, and starts it when none is running. The inbox is bounded
    /// (<see cref="OutboxOptions.MaxRoomInbox"/>): nothing upstream waits for the worker, so a room whose fan-out falls
    /// behind would otherwise hold every event posted meanwhile.
    /// </summary>
    private void Hand(Room room, Posted item)
    {
        lock (room.Inbox)
        {
            room.Inbox.Add(item);
            room.InboxEvents += EventsIn(item);
            if (room.InboxEvents > _outbox.MaxRoomInbox)
            {
                TrimInbox(room);
            }

            if (room.Draining)
            {
                return;
            }

            room.Draining = true;
        }

        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Delivery.Drain(state.Room), new State(this, room), preferLocal: false);
    }

    private void Drain(Room room)
    {
        while (true)
        {
            Posted[] posted;
            lock (room.Inbox)
            {
                if (room.Inbox.Count == 0)
                {
                    room.Draining = false;
                    return;
                }

                posted = [.. room.Inbox];
                room.Inbox.Clear();
                room.InboxEvents = 0;
            }

            try
            {
                List<ChatMessage>? chat = null;
                foreach (var (method, args) in posted)
                {
                    if (ReferenceEquals(method, FlushDue))
                    {
                        if (chat is not null)
                        {
                            ToRoom(room.Id, nameof(ILiveClient.ChatBatch), [chat]);
                            chat = null;
                        }

                        Flush(room);
                        continue;
                    }

                    if (method == nameof(ILiveClient.ChatBatch) && args is [IReadOnlyList<ChatMessage> messages])
                    {
                        (chat ??= []).AddRange(messages);
                        continue;
                    }

                    if (chat is not null)
                    {
                        ToRoom(room.Id, nameof(ILiveClient.ChatBatch), [chat]);
                        chat = null;
                    }

                    ToRoom(room.Id, method, args);
                }

                if (chat is not null)
                {
                    ToRoom(room.Id, nameof(ILiveClient.ChatBatch), [chat]);
                }
            }
            catch (Exception ex)
            {
                // Not a crash of the server: what this server's viewers missed is a gap they see by seq and close.
                _metrics.FanOutFailed();
                DeliveryLog.FanOutFailed(_logger, ex, room.Id, posted.Length);
            }
        }
    }

    /// <summary>How many events an inbox item holds: a chat batch its messages, the worker's own item none.</summary>
    private static int EventsIn(Posted item) =>
        ReferenceEquals(item.Method, FlushDue) ? 0
        : item.Method == nameof(ILiveClient.ChatBatch) && item.Args is [IReadOnlyList<ChatMessage> chat] ? chat.Count
        : 1;

    /// <summary>
    /// Brings the room's inbox (its lock held) back to its bound: the oldest chat messages go first (from inside a batch
    /// when it is more than needed), then the oldest latest-value events, then the oldest of the rest. Each is an
    /// event this server's viewers of the room miss, a gap by seq; counted by lane.
    /// </summary>
    private void TrimInbox(Room room)
    {
        var inbox = room.Inbox;
        var excess = room.InboxEvents - _outbox.MaxRoomInbox;
        foreach (var lane in DropOrder)
        {
            var dropped = 0;
            for (var i = 0; i < inbox.Count && excess > 0; i++)
            {
                var item = inbox[i];
                if (ReferenceEquals(item.Method, FlushDue) || ReferenceEquals(item.Method, DroppedItem) || OutboxLanes.Of(item.Method) != lane)
                {
                    continue;
                }

                var events = EventsIn(item);
                if (events > excess && item.Args is [IReadOnlyList<ChatMessage> chat])
                {
                    inbox[i] = item with { Args = [chat.Skip(excess).ToArray()] };
                    events = excess;
                }
                else
                {
                    inbox[i] = new Posted(DroppedItem, []);
                }

                dropped += events;
                excess -= events;
            }

            if (dropped > 0)
            {
                room.InboxEvents -= dropped;
                _metrics.InboxDropped(lane, dropped);
            }

            if (excess <= 0)
            {
                break;
            }
        }

        inbox.RemoveAll(static item => ReferenceEquals(item.Method, DroppedItem));
    }

    private void RemoveFromRoom(Member member, string roomId)
    {
        if (!_rooms.TryGetValue(roomId, out var room))
        {
            return;
        }

        lock (room)
        {
            room.Members = Array.FindAll(room.Members, o => !ReferenceEquals(o, member.Outbox));
            if (room.Members.Length == 0)
            {
                room.Removed = true;
                room.Timer?.Dispose();
                _rooms.TryRemove(new KeyValuePair<string, Room>(roomId, room));
            }
        }
    }

    private sealed record State(LocalDelivery Delivery, Room Room);

    private readonly record struct Posted(string Method, object?[] Args);

    private sealed class Member(ConnectionOutbox outbox, string? userId)
    {
        /// <summary>Orders answered on this connection whose confirmation has not come by yet, oldest first.</summary>
        private readonly LinkedList<string> _answered = new();

        public ConnectionOutbox Outbox { get; } = outbox;

        public string? UserId { get; } = userId;

        public HashSet<string> Rooms { get; } = new(StringComparer.Ordinal);

        /// <summary>Disconnected (guarded by <see cref="Rooms"/>' lock).</summary>
        public bool Gone { get; set; }

        public void Answered(string orderId)
        {
            lock (_answered)
            {
                _answered.AddLast(orderId);
                if (_answered.Count > MaxAnsweredOrders)
                {
                    _answered.RemoveFirst();
                }
            }
        }

        /// <summary>True, once, when <paramref name="orderId"/> was answered on this connection.</summary>
        public bool TakeAnswered(string orderId)
        {
            lock (_answered)
            {
                return _answered.Count > 0 && _answered.Remove(orderId);
            }
        }
    }

    private sealed class Room(string id, ChatPacer pacer)
    {
        public string Id { get; } = id;

        public ChatPacer Pacer { get; } = pacer;

        public ConnectionOutbox[] Members { get; set; } = [];

        public DateTimeOffset LastChatAt { get; set; } = DateTimeOffset.MinValue;

        public bool Removed { get; set; }

        /// <summary>Events handed with <see cref="Post"/>, not yet fanned out (guarded by its own lock).</summary>
        public List<Posted> Inbox { get; } = [];

        /// <summary>The events in <see cref="Inbox"/>, a chat message counting one (guarded by the inbox's lock).</summary>
        public int InboxEvents { get; set; }

        /// <summary>A worker is fanning out the <see cref="Inbox"/> (guarded by the inbox's lock).</summary>
        public bool Draining { get; set; }

        public ITimer? Timer { get; set; }
    }
}
