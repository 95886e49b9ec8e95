using System.Collections.Concurrent;
using Live.Client.Models;
using Live.Client.Streams;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Client;

/// <summary>
/// A typed client of RedLive's hub (docs/CLIENTS.md): one SignalR connection, typed calls, and one
/// <see cref="LiveRoom"/> per joined room whose events arrive in order, once each, resumed after every reconnect.
/// Refused calls throw <see cref="LiveProtocolException"/> with the protocol's code.
/// </summary>
public sealed class LiveClient : IAsyncDisposable
{
    /// <summary>The first pause before a call answered <c>unavailable</c> is sent again (the hub server has already retried it for seconds).</summary>
    internal static readonly TimeSpan FirstUnavailablePause = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest pause between two sends of a call answered <c>unavailable</c>.</summary>
    private static readonly TimeSpan MaxUnavailablePause = TimeSpan.FromSeconds(4);

    /// <summary>The pause after <paramref name="pause"/>: twice as long, up to <see cref="MaxUnavailablePause"/>.</summary>
    internal static TimeSpan NextUnavailablePause(TimeSpan pause) => pause * 2 < MaxUnavailablePause ? pause * 2 : MaxUnavailablePause;

    private readonly ConcurrentDictionary<string, LiveRoom> _rooms = new(StringComparer.Ordinal);
    private readonly bool _ownsConnection;
    private readonly TimeSpan _purchaseRetryWindow;
    private readonly Lock _gate = new();
    private TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// A client over a connection built elsewhere (with its own URL, token and protocol; RedLive's MessagePack needs
    /// <see cref="LiveHubConnectionBuilderExtensions.AddLiveMessagePackProtocol"/>). Give it
    /// <c>WithAutomaticReconnect</c> for rooms to resume on their own; build it, then start it here.
    /// </summary>
    public LiveClient(HubConnection connection, bool ownsConnection = true, TimeSpan? purchaseRetryWindow = null)
    {
        Connection = connection;
        _ownsConnection = ownsConnection;
        _purchaseRetryWindow = purchaseRetryWindow ?? TimeSpan.FromSeconds(30);
        Subscribe();
        if (connection.State == HubConnectionState.Connected)
        {
            _connected.TrySetResult();
        }
    }

    /// <summary>The underlying SignalR connection (its state, its <c>ConnectionId</c>, anything this does not cover).</summary>
    public HubConnection Connection { get; }

    public HubConnectionState State => Connection.State;

    /// <summary>The rooms joined on this connection.</summary>
    public IReadOnlyCollection<LiveRoom> Rooms => [.. _rooms.Values];

    /// <summary>
    /// A purchase of this user was confirmed (on any of the user's connections): the buyer's own lane, no seq. For a
    /// purchase made with <see cref="BuyNowAsync"/> on this client it is raised from the answer, just before the call
    /// returns.
    /// </summary>
    public event Action<Order>? PurchaseConfirmed;

    /// <summary>The connection dropped; SignalR is reconnecting. Rooms buffer until they have resumed.</summary>
    public event Action<Exception?>? Reconnecting;

    /// <summary>The connection is back; each room is resuming (its events continue with no gap and no duplicate).</summary>
    public event Action? Reconnected;

    /// <summary>The connection closed for good (stopped, or the reconnect policy gave up). <see cref="StartAsync"/> starts it again.</summary>
    public event Action<Exception?>? Closed;

    /// <summary>An application handler of a room event threw; the stream goes on.</summary>
    public event Action<Exception>? HandlerFailed;

    /// <summary>A client that connects as <paramref name="options"/> say; not started.</summary>
    public static LiveClient Create(LiveClientOptions options)
    {
        var builder = new HubConnectionBuilder().WithUrl(new Uri(options.Server, options.HubPath), o =>
        {
            if (options.WebSocketsOnly)
            {
                o.Transports = HttpTransportType.WebSockets;
                o.SkipNegotiation = true;
            }

            if (options.AccessTokenProvider is { } tokens)
            {
                o.AccessTokenProvider = tokens;
            }

            options.ConfigureHttp?.Invoke(o);
        });
        if (options.Protocol == LiveWireProtocol.MessagePack)
        {
            builder.AddLiveMessagePackProtocol();
        }

        builder.WithAutomaticReconnect(options.ReconnectPolicy ?? new ForeverRetryPolicy());
        options.ConfigureConnection?.Invoke(builder);
        return new LiveClient(builder.Build(), ownsConnection: true, options.PurchaseRetryWindow);
    }

    /// <summary>Creates and starts a client.</summary>
    public static async Task<LiveClient> ConnectAsync(LiveClientOptions options, CancellationToken cancellationToken = default)
    {
        var client = Create(options);
        try
        {
            await client.StartAsync(cancellationToken);
            return client;
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>A fresh request id or idempotency key: one per purchase or add intent, reused for its retries.</summary>
    public static string NewRequestId() => Guid.NewGuid().ToString("N");

    /// <summary>Starts the connection; rooms joined before a close resume on it.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await Connection.StartAsync(cancellationToken);
        MarkConnected();
        foreach (var room in _rooms.Values)
        {
            _ = room.ReattachAsync();
        }
    }

    public Task StopAsync(CancellationToken cancellationToken = default) => Connection.StopAsync(cancellationToken);

    /// <summary>
    /// Joins <paramref name="roomId"/>: the room's snapshot comes first (<see cref="LiveRoom.SnapshotReceived"/> and
    /// <see cref="LiveRoom.Snapshot"/>), then its events; live events that arrive before the answer wait for it.
    /// Register the room's handlers in <paramref name="subscribe"/> to see the first snapshot through them too.
    /// </summary>
    public async Task<LiveRoom> JoinRoomAsync(string roomId, Action<LiveRoom>? subscribe = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(roomId);
        var room = new LiveRoom(this, roomId);
        if (!_rooms.TryAdd(roomId, room))
        {
            return _rooms[roomId];
        }

        subscribe?.Invoke(room);
        try
        {
            await room.JoinAsync(cancellationToken);
            return room;
        }
        catch
        {
            _rooms.TryRemove(new KeyValuePair<string, LiveRoom>(roomId, room));
            throw;
        }
    }

    /// <summary>
    /// Rejoins <paramref name="roomId"/> from where an earlier session stood (<see cref="LiveRoom.ResumePoint"/>): the
    /// events since then arrive through the room's handlers, or a fresh snapshot when the server no longer has them.
    /// </summary>
    public async Task<LiveRoom> ResumeRoomAsync(string roomId, ResumePoint from, Action<LiveRoom>? subscribe = null, CancellationToken cancellationToken = default)
    {
        var room = new LiveRoom(this, roomId, from);
        if (!_rooms.TryAdd(roomId, room))
        {
            throw new InvalidOperationException($"room {roomId} is already joined on this client");
        }

        subscribe?.Invoke(room);
        try
        {
            await room.ResumeFromAsync(from, cancellationToken);
            return room;
        }
        catch
        {
            _rooms.TryRemove(new KeyValuePair<string, LiveRoom>(roomId, room));
            throw;
        }
    }

    /// <summary>The room joined on this connection, if it is.</summary>
    public LiveRoom? Room(string roomId) => _rooms.GetValueOrDefault(roomId);

    /// <summary>Leaves the room: its events stop.</summary>
    public async Task LeaveRoomAsync(string roomId, CancellationToken cancellationToken = default)
    {
        _rooms.TryRemove(roomId, out _);
        await InvokeAsync(LiveHubNames.LeaveRoom, [roomId], cancellationToken);
    }

    /// <summary>Whether <paramref name="room"/> is still one of this client's rooms (not left, the client not disposed).</summary>
    internal bool Holds(LiveRoom room) => _rooms.TryGetValue(room.RoomId, out var held) && ReferenceEquals(held, room);

    /// <summary><c>SendChat</c>: the message as the room will show it. Not retried (chat carries no request id).</summary>
    public Task<ChatMessage> SendChatAsync(string roomId, string text, CancellationToken cancellationToken = default) =>
        InvokeAsync<ChatMessage>(LiveHubNames.SendChat, [roomId, text], cancellationToken);

    /// <summary><c>Like</c> (1 to 100): the room's new like total. Not retried.</summary>
    public Task<long> LikeAsync(string roomId, int count = 1, CancellationToken cancellationToken = default) =>
        InvokeAsync<long>(LiveHubNames.Like, [roomId, count], cancellationToken);

    /// <summary>
    /// <c>BuyNowWithOrder</c> (<c>BuyNow</c> whose answer carries the new order), retry-safe: one request id
    /// (<paramref name="requestId"/>, or a fresh one) for this purchase, and when the connection drops before the answer
    /// the call waits for the reconnect and asks again with the same id, which the server answers without buying twice;
    /// an answer <c>unavailable</c> is asked again after a pause. Past the retry window:
    /// <see cref="LivePurchaseUnansweredException"/> with the id to retry later. Sold out, limits
    /// and ended sales are statuses of the result, not errors.
    /// </summary>
    public async Task<PurchaseResult> BuyNowAsync(string saleId, int quantity = 1, string? requestId = null, CancellationToken cancellationToken = default)
    {
        requestId ??= NewRequestId();
        var result = await RetryAcrossReconnectsAsync(
            () => InvokeAsync<PurchaseResult>(LiveHubNames.BuyNowWithOrder, [saleId, quantity, requestId], cancellationToken),
            e => new LivePurchaseUnansweredException(saleId, requestId, e),
            cancellationToken);

        // The answer carries the new order, and the server sends its PurchaseConfirmed to this user's other connections
        // only: raised here, before the answer is returned, as it would have arrived.
        if (result.Order is { } order)
        {
            Confirmed(order);
        }

        return result;
    }

    /// <summary>
    /// <c>AddToCartWithKey</c> (<c>AddToCart</c> under the client's key, PROTOCOL v1.7): the cart. Retry-safe as
    /// <see cref="BuyNowAsync"/> is: one key (<paramref name="idempotencyKey"/>, 1 to 60 printable ASCII characters, or a
    /// fresh one) for this add, and when the connection drops before the answer the call waits for the reconnect and
    /// sends the add again with the same key, which the server adds once (for 24 hours and the cart's last 64 adds); an
    /// answer <c>unavailable</c> is sent again after a pause. Past the retry window:
    /// <see cref="LiveCartAddUnansweredException"/> with the key to retry later.
    /// </summary>
    public Task<Cart> AddToCartAsync(string productId, int quantity = 1, string? roomId = null, string? idempotencyKey = null, CancellationToken cancellationToken = default)
    {
        var key = idempotencyKey ?? NewRequestId();
        return RetryAcrossReconnectsAsync(
            () => InvokeAsync<Cart>(LiveHubNames.AddToCartWithKey, [productId, quantity, roomId, key], cancellationToken),
            e => new LiveCartAddUnansweredException(productId, key, e),
            cancellationToken);
    }

    /// <summary>
    /// The raw <c>ResumeRoom</c> call (v1.3), without a <see cref="LiveRoom"/>: what a client that keeps its own stream
    /// state calls. Rooms call it themselves.
    /// </summary>
    public Task<RoomResume> InvokeResumeRoomAsync(string roomId, string epoch, long seq, CancellationToken cancellationToken = default) =>
        InvokeAsync<RoomResume>(LiveHubNames.ResumeRoom, [roomId, epoch, seq], cancellationToken);

    /// <summary>Waits until the connection is up, at most <paramref name="timeout"/>; false when it did not come back.</summary>
    public async Task<bool> WaitConnectedAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Task connected;
        lock (_gate)
        {
            connected = _connected.Task;
        }

        try
        {
            await connected.WaitAsync(timeout, cancellationToken);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _rooms.Clear();
        if (_ownsConnection)
        {
            await Connection.DisposeAsync();
        }
    }

    internal async Task<T> InvokeAsync<T>(string method, object?[] arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await Connection.InvokeCoreAsync<T>(method, arguments, cancellationToken);
        }
        catch (HubException e) when (LiveProtocolException.From(e) is { } refusal)
        {
            throw refusal;
        }
    }

    internal async Task InvokeAsync(string method, object?[] arguments, CancellationToken cancellationToken)
    {
        try
        {
            await Connection.InvokeCoreAsync(method, arguments, cancellationToken);
        }
        catch (HubException e) when (LiveProtocolException.From(e) is { } refusal)
        {
            throw refusal;
        }
    }

    private void Confirmed(Order order)
    {
        try
        {
            PurchaseConfirmed?.Invoke(order);
        }
        catch (Exception e)
        {
            ReportHandlerFailure(e);
        }
    }

    internal void ReportHandlerFailure(Exception exception) => HandlerFailed?.Invoke(exception);

    /// <summary>
    /// Sends <paramref name="call"/> (one that is safe to repeat: the same id each time) until it is answered, within
    /// <see cref="LiveClientOptions.PurchaseRetryWindow"/>: a call the connection failed waits for the reconnect and goes
    /// again; a call answered <c>unavailable</c> (the server could not finish it: it may or may not have happened) goes
    /// again after a pause (<see cref="FirstUnavailablePause"/>, doubling up to <see cref="MaxUnavailablePause"/>). Past
    /// the window, <paramref name="unanswered"/>'s exception. Other refusals and the caller's cancellation end it at once.
    /// </summary>
    private async Task<T> RetryAcrossReconnectsAsync<T>(Func<Task<T>> call, Func<Exception, Exception> unanswered, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + _purchaseRetryWindow;
        var pause = FirstUnavailablePause;
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsConnectionFailure(e, cancellationToken))
            {
                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero || !await WaitConnectedAsync(left, cancellationToken))
                {
                    throw unanswered(e);
                }
            }
            catch (LiveProtocolException e) when (e.Code == LiveErrorCodes.Unavailable)
            {
                var left = deadline - DateTimeOffset.UtcNow;
                if (left <= TimeSpan.Zero)
                {
                    throw unanswered(e);
                }

                await Task.Delay(pause < left ? pause : left, cancellationToken);
                pause = NextUnavailablePause(pause);
            }
        }
    }

    /// <summary>A call that failed because the connection did (not a refusal, not the caller's cancellation).</summary>
    internal static bool IsConnectionFailure(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && exception is not HubException and not LiveProtocolException
        && exception is OperationCanceledException or InvalidOperationException or IOException
            or System.Net.WebSockets.WebSocketException or HttpRequestException;

    private void MarkConnected()
    {
        lock (_gate)
        {
            _connected.TrySetResult();
        }
    }

    private void MarkDisconnected()
    {
        lock (_gate)
        {
            if (_connected.Task.IsCompleted)
            {
                _connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }

        foreach (var room in _rooms.Values)
        {
            room.ConnectionLost();
        }
    }

    private void Subscribe()
    {
        var c = Connection;
        c.On<List<ChatMessage>>(LiveHubNames.ChatBatch, messages =>
        {
            // A batch holds one room's chat (a room's frame, or a lagging outbox's run of one room's frames); each run of
            // one room goes to its room as it comes, without grouping: this runs once per frame on every viewer.
            var start = 0;
            while (start < messages.Count)
            {
                var roomId = messages[start].RoomId;
                var end = start + 1;
                while (end < messages.Count && string.Equals(messages[end].RoomId, roomId, StringComparison.Ordinal))
                {
                    end++;
                }

                if (Room(roomId) is { } room)
                {
                    var items = new RoomStreamItem[end - start];
                    for (var i = start; i < end; i++)
                    {
                        items[i - start] = new RoomStreamItem(LiveHubNames.ChatBatch, messages[i].Seq, messages[i]);
                    }

                    room.OnLive(items);
                }

                start = end;
            }
        });

        // ProductPinned and FlashSaleUpdated name their room since v1.5; from an older server they are placed by the
        // only room, or by the sale's room; otherwise each room catches up through ResumeRoom, whose answer names the
        // room (see Unplaced).
        c.On<Product>(LiveHubNames.ProductPinned, p =>
        {
            if (p.RoomId is { } roomId)
            {
                Live(roomId, LiveHubNames.ProductPinned, p.Seq, p);
            }
            else
            {
                Unplaced(new RoomStreamItem(LiveHubNames.ProductPinned, p.Seq, p), null);
            }
        });
        c.On<FlashSaleProgress>(LiveHubNames.FlashSaleUpdated, p =>
        {
            if (p.RoomId is { } roomId)
            {
                Live(roomId, LiveHubNames.FlashSaleUpdated, p.Seq, p);
            }
            else
            {
                Unplaced(new RoomStreamItem(LiveHubNames.FlashSaleUpdated, p.Seq, p), room => room.HasSale(p.SaleId));
            }
        });
        c.On<RoomPosition>(LiveHubNames.RoomHeartbeat, h => Room(h.RoomId)?.OnHeartbeat(h));

        c.On<RoomRef>(LiveHubNames.ProductUnpinned, r => Live(r.RoomId, LiveHubNames.ProductUnpinned, r.Seq, r));
        c.On<FlashSale>(LiveHubNames.FlashSaleStarted, s => Live(s.RoomId, LiveHubNames.FlashSaleStarted, s.Seq, s));
        c.On<FlashSale>(LiveHubNames.FlashSaleEnded, s => Live(s.RoomId, LiveHubNames.FlashSaleEnded, s.Seq, s));
        c.On<ViewerCountUpdate>(LiveHubNames.ViewerCount, u => Live(u.RoomId, LiveHubNames.ViewerCount, u.Seq, u));
        c.On<LikesUpdate>(LiveHubNames.LikesUpdated, u => Live(u.RoomId, LiveHubNames.LikesUpdated, u.Seq, u));
        c.On<Room>(LiveHubNames.StreamStarted, r => Live(r.Id, LiveHubNames.StreamStarted, r.Seq, r));
        c.On<Room>(LiveHubNames.StreamEnded, r => Live(r.Id, LiveHubNames.StreamEnded, r.Seq, r));
        c.On<ChatDeletion>(LiveHubNames.ChatDeleted, d => Live(d.RoomId, LiveHubNames.ChatDeleted, d.Seq, d));
        c.On<RoomRemoval>(LiveHubNames.RemovedFromRoom, r => Room(r.RoomId)?.OnRemoved(r));
        c.On<Order>(LiveHubNames.PurchaseConfirmed, Confirmed);

        c.Reconnecting += error =>
        {
            MarkDisconnected();
            Reconnecting?.Invoke(error);
            return Task.CompletedTask;
        };
        c.Reconnected += connectionId =>
        {
            MarkConnected();
            foreach (var room in _rooms.Values)
            {
                _ = room.ReattachAsync();
            }

            Reconnected?.Invoke();
            return Task.CompletedTask;
        };
        c.Closed += error =>
        {
            MarkDisconnected();
            Closed?.Invoke(error);
            return Task.CompletedTask;
        };
    }

    private void Live(string roomId, string eventName, long? seq, object data) =>
        Room(roomId)?.OnLive([new RoomStreamItem(eventName, seq, data)]);

    /// <summary>
    /// An event whose argument names no room: to the only room joined, or the one <paramref name="owns"/> picks;
    /// otherwise no room can place it, and each catches up from the server instead (ResumeRoom answers per room;
    /// a room that had nothing new gets nothing).
    /// </summary>
    private void Unplaced(RoomStreamItem item, Func<LiveRoom, bool>? owns)
    {
        var rooms = _rooms.Values.ToList();
        var candidates = rooms.Count == 1 || owns is null ? rooms : rooms.Where(owns).ToList();
        var owner = candidates.Count == 1 ? candidates[0] : null;
        if (owner is not null)
        {
            owner.OnLive([item]);
            return;
        }

        foreach (var room in rooms)
        {
            _ = room.ResyncAsync();
        }
    }
}
