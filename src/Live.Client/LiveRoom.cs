using Live.Client.Models;
using Live.Client.Streams;
using Microsoft.AspNetCore.SignalR;

namespace Live.Client;

/// <summary>
/// One joined room of a <see cref="LiveClient"/>: its events, typed, in the room's order, each once. Handlers run one
/// at a time, never concurrently, on the thread that received the event (keep them short; hand long work off).
/// Behind them <see cref="RoomStreamState"/> drops duplicates by seq, buffers what comes before the join or resume
/// answer, and closes gaps with <c>ResumeRoom</c>; after a reconnect the room resumes from its newest seq, or starts
/// again from a snapshot (<see cref="SnapshotReceived"/>) when the server no longer has what it missed.
/// </summary>
public sealed class LiveRoom
{
    private readonly LiveClient _client;
    private readonly Lock _gate = new();
    private readonly RoomStreamState _state = new();
    private readonly Queue<RoomStreamItem> _outbox = new();
    private readonly HashSet<string> _sales = new(StringComparer.Ordinal);
    private bool _delivering;
    private int _generation;
    private RoomSnapshot? _snapshot;

    internal LiveRoom(LiveClient client, string roomId, ResumePoint? from = null)
    {
        _client = client;
        RoomId = roomId;
        if (from is not null)
        {
            _state.StartFrom(from);
        }
    }

    public string RoomId { get; }

    /// <summary>The newest snapshot the room started from (the join's, or a resume's that could not resume).</summary>
    public RoomSnapshot? Snapshot
    {
        get
        {
            lock (_gate)
            {
                return _snapshot;
            }
        }
    }

    /// <summary>Where this room stands (epoch and newest seq): save it to resume later; null from a server without the event stream.</summary>
    public ResumePoint? ResumePoint
    {
        get
        {
            lock (_gate)
            {
                return _state.ResumePoint;
            }
        }
    }

    /// <summary>Events dropped as already seen (seq at or below the newest).</summary>
    public long Duplicates
    {
        get
        {
            lock (_gate)
            {
                return _state.Duplicates;
            }
        }
    }

    /// <summary>Gaps seen (and asked to be closed with <c>ResumeRoom</c>).</summary>
    public long Gaps
    {
        get
        {
            lock (_gate)
            {
                return _state.Gaps;
            }
        }
    }

    /// <summary>Fresh starts from a snapshot: the join, and every resume the server could not serve.</summary>
    public long Resets
    {
        get
        {
            lock (_gate)
            {
                return _state.Resets;
            }
        }
    }

    /// <summary>Start (again) from this snapshot: the join's answer, or a resume's when the room's history no longer covers the gap.</summary>
    public event Action<RoomSnapshot>? SnapshotReceived;

    /// <summary>One chat message (a <c>ChatBatch</c> is delivered message by message, each once, in order).</summary>
    public event Action<ChatMessage>? ChatReceived;

    public event Action<ChatDeletion>? ChatDeleted;

    public event Action<Product>? ProductPinned;

    public event Action<RoomRef>? ProductUnpinned;

    public event Action<FlashSale>? FlashSaleStarted;

    /// <summary>A sale's progress (latest-value: intermediate values may be skipped).</summary>
    public event Action<FlashSaleProgress>? FlashSaleUpdated;

    public event Action<FlashSale>? FlashSaleEnded;

    /// <summary>The room's viewer count (latest-value).</summary>
    public event Action<ViewerCountUpdate>? ViewerCountChanged;

    /// <summary>The room's like total (latest-value).</summary>
    public event Action<LikesUpdate>? LikesUpdated;

    public event Action<Room>? StreamStarted;

    public event Action<Room>? StreamEnded;

    /// <summary>This user was removed from the room (banned); its events stop.</summary>
    public event Action<RoomRemoval>? Removed;

    /// <summary><see cref="RoomRemoval.Reason"/> of a ban (PROTOCOL's <c>RemovedFromRoom</c>).</summary>
    public const string BannedReason = "banned";

    /// <summary>An event this client does not know (a newer server's): its name, seq and argument.</summary>
    public event Action<RoomStreamItem>? UnknownEvent;

    /// <summary>A gap was seen (the point it resumes from); the missing events follow through the usual handlers.</summary>
    public event Action<ResumePoint>? GapDetected;

    /// <summary>
    /// Catching up (after a reconnect, a restart or a gap) was answered and applied: true when the server answered the
    /// missed events (queued for the handlers, in order), false when it answered a fresh snapshot (the room's epoch
    /// changed, or the gap outran the room's window). An app can show "reconnected" here.
    /// </summary>
    public event Action<bool>? CaughtUp;

    /// <summary>
    /// Catching up was refused (<see cref="LiveProtocolException"/>). <c>unavailable</c> and <c>rate_limited</c> are
    /// passing: the room asks again after a pause (0.5 s, doubling up to 4 s, each ±50 %) until it is answered, the connection drops
    /// or the room is left, raising this each time. Any other refusal (banned, room gone) ends the catch-up: a gap's
    /// events are given up (the stream has a hole there), and a room that was reconnecting stays without events.
    /// </summary>
    public event Action<Exception>? Failed;

    public Task<ChatMessage> SendChatAsync(string text, CancellationToken cancellationToken = default) =>
        _client.SendChatAsync(RoomId, text, cancellationToken);

    public Task<long> LikeAsync(int count = 1, CancellationToken cancellationToken = default) =>
        _client.LikeAsync(RoomId, count, cancellationToken);

    public Task LeaveAsync(CancellationToken cancellationToken = default) => _client.LeaveRoomAsync(RoomId, cancellationToken);

    /// <summary>
    /// Catches up now (after a long silence, say): <c>ResumeRoom</c> from the newest seq, whose answer is empty when
    /// nothing was missed; <c>JoinRoom</c> again from a server without the event stream.
    /// </summary>
    public async Task ResyncAsync()
    {
        int generation;
        ResumePoint? point;
        lock (_gate)
        {
            if (!_state.BeginResync())
            {
                return;
            }

            generation = _generation;
            point = _state.ResumePoint;
        }

        await CatchUpAsync(generation, point, gap: false);
    }

    internal bool HasSale(string saleId)
    {
        lock (_gate)
        {
            return _sales.Contains(saleId);
        }
    }

    internal async Task JoinAsync(CancellationToken cancellationToken)
    {
        var generation = Generation();
        var snapshot = await _client.InvokeAsync<RoomSnapshot>(LiveHubNames.JoinRoom, [RoomId], cancellationToken);
        Apply(generation, s => s.Snapshot(snapshot));
    }

    internal async Task ResumeFromAsync(ResumePoint from, CancellationToken cancellationToken)
    {
        var generation = Generation();
        var answer = await _client.InvokeAsync<RoomResume>(LiveHubNames.ResumeRoom, [RoomId, from.Epoch, from.Seq], cancellationToken);
        Apply(generation, s => s.Resume(answer));
    }

    /// <summary>After a reconnect (or a restart): resume from the newest seq, or join again when there is none.</summary>
    internal async Task ReattachAsync()
    {
        ResumePoint? point;
        int generation;
        lock (_gate)
        {
            point = _state.ResumePoint;
            generation = _generation;
        }

        await CatchUpAsync(generation, point, gap: false);
    }

    internal void OnLive(IReadOnlyList<RoomStreamItem> items)
    {
        // Every live frame of every viewer passes here: no closure, unlike the answers' path (Apply).
        RoomStreamStep step;
        int current;
        lock (_gate)
        {
            step = _state.Offer(items);
            current = _generation;
            Accept(step);
        }

        Deliver(step, current);
    }

    /// <summary>The room's heartbeat (v1.5): resumes when the room has sent more than this client has, or another epoch.</summary>
    internal void OnHeartbeat(RoomPosition position)
    {
        ResumePoint? point;
        int generation;
        lock (_gate)
        {
            if (!_state.Heartbeat(position.Epoch, position.Seq))
            {
                return;
            }

            point = _state.ResumePoint;
            generation = _generation;
        }

        _ = CatchUpAsync(generation, point, gap: true);
    }

    internal void OnRemoved(RoomRemoval removal) =>
        Enqueue([new RoomStreamItem(LiveHubNames.RemovedFromRoom, null, removal)]);

    internal void ConnectionLost()
    {
        lock (_gate)
        {
            _generation++;
            _state.ConnectionLost();
        }
    }

    private int Generation()
    {
        lock (_gate)
        {
            return _generation;
        }
    }

    private async Task CatchUpAsync(int generation, ResumePoint? point, bool gap)
    {
        if (gap && point is not null)
        {
            Report(() => GapDetected?.Invoke(point));
        }

        var pause = LiveClient.FirstUnavailablePause;
        while (true)
        {
            try
            {
                if (point is null)
                {
                    var snapshot = await _client.InvokeAsync<RoomSnapshot>(LiveHubNames.JoinRoom, [RoomId], CancellationToken.None);
                    Apply(generation, s => s.Snapshot(snapshot));
                    Report(() => CaughtUp?.Invoke(false));
                }
                else
                {
                    var answer = await _client.InvokeAsync<RoomResume>(LiveHubNames.ResumeRoom, [RoomId, point.Epoch, point.Seq], CancellationToken.None);
                    Apply(generation, s => s.Resume(answer));
                    Report(() => CaughtUp?.Invoke(answer.Resumed));
                }

                return;
            }
            catch (Exception e) when (e is LiveProtocolException { Code: LiveErrorCodes.Unavailable or LiveErrorCodes.RateLimited } or HubException)
            {
                // The server could not answer now (part of its cluster lost, storage out of reach, too many joins at
                // once), or it failed without a code (SignalR's "An unexpected error occurred invoking ...": a refusal
                // with a code is a LiveProtocolException by now): the same catch-up goes again after a pause, so the
                // room neither stalls nor gives its gap up. It stops when the connection drops (the reconnect catches
                // up) or the room is left.
                Report(() => Failed?.Invoke(e));

                // Jittered (±50 %), so that the viewers of a room refused at the same moment do not all ask again at once.
                await Task.Delay(pause * (0.5 + Random.Shared.NextDouble()));
                pause = LiveClient.NextUnavailablePause(pause);
                if (Generation() != generation || !_client.Holds(this))
                {
                    return;
                }
            }
            catch (LiveProtocolException e)
            {
                Apply(generation, s => s.ResumeFailed());
                Report(() => Failed?.Invoke(e));
                if (e.Code == LiveErrorCodes.Forbidden)
                {
                    // A join or resume is forbidden only to a user banned from the room: banned while this connection
                    // was away, its RemovedFromRoom went nowhere. Raised as the server would have sent it.
                    Report(() => Removed?.Invoke(new RoomRemoval { RoomId = RoomId, Reason = BannedReason }));
                }

                return;
            }
            catch (Exception e) when (LiveClient.IsConnectionFailure(e, CancellationToken.None))
            {
                // The connection went: the reconnect resumes from where the room stands.
                return;
            }
        }
    }

    /// <param name="generation">The connection generation the answer belongs to; null for live events (always current).</param>
    /// <param name="change">What happened, applied to the stream's state.</param>
    private void Apply(int? generation, Func<RoomStreamState, RoomStreamStep> change)
    {
        RoomStreamStep step;
        int current;
        lock (_gate)
        {
            if (generation is { } g && g != _generation)
            {
                // An answer on a connection that has since dropped: the reconnect's own answer replaces it.
                return;
            }

            step = change(_state);
            current = _generation;
            Accept(step);
        }

        Deliver(step, current);
    }

    /// <summary>Queues what the step delivers. Under the lock.</summary>
    private void Accept(RoomStreamStep step)
    {
        foreach (var item in step.Deliver)
        {
            Track(item);
            _outbox.Enqueue(item);
        }
    }

    /// <summary>Hands what is queued to the handlers, and asks to catch up when the step found a gap. Outside the lock.</summary>
    private void Deliver(RoomStreamStep step, int generation)
    {
        if (step.Deliver.Count > 0)
        {
            Pump();
        }

        if (step.Resume is { } resume)
        {
            _ = CatchUpAsync(generation, resume, gap: true);
        }
    }

    private void Enqueue(IEnumerable<RoomStreamItem> items)
    {
        lock (_gate)
        {
            foreach (var item in items)
            {
                _outbox.Enqueue(item);
            }
        }

        Pump();
    }

    /// <summary>Sales this room knows, to place a <c>FlashSaleUpdated</c> (which names no room). Under the lock.</summary>
    private void Track(RoomStreamItem item)
    {
        switch (item.Data)
        {
            case RoomSnapshot snapshot:
                _snapshot = snapshot;
                _sales.Clear();
                _sales.UnionWith(snapshot.ActiveSales.Select(s => s.Id));
                break;
            case FlashSale sale:
                _sales.Add(sale.Id);
                break;
        }
    }

    /// <summary>Hands what waits to the handlers, in order, one at a time; whoever finds nobody delivering delivers.</summary>
    private void Pump()
    {
        lock (_gate)
        {
            if (_delivering)
            {
                return;
            }

            _delivering = true;
        }

        while (true)
        {
            RoomStreamItem item;
            lock (_gate)
            {
                if (!_outbox.TryDequeue(out item!))
                {
                    _delivering = false;
                    return;
                }
            }

            try
            {
                Dispatch(item);
            }
            catch (Exception e)
            {
                _client.ReportHandlerFailure(e);
            }
        }
    }

    private void Dispatch(RoomStreamItem item)
    {
        switch (item.Event, item.Data)
        {
            case (RoomStreamItem.Snapshot, RoomSnapshot snapshot):
                SnapshotReceived?.Invoke(snapshot);
                break;
            case (LiveHubNames.ChatBatch, ChatMessage message):
                ChatReceived?.Invoke(message);
                break;
            case (LiveHubNames.ChatDeleted, ChatDeletion deletion):
                ChatDeleted?.Invoke(deletion);
                break;
            case (LiveHubNames.ProductPinned, Product product):
                ProductPinned?.Invoke(product);
                break;
            case (LiveHubNames.ProductUnpinned, RoomRef room):
                ProductUnpinned?.Invoke(room);
                break;
            case (LiveHubNames.FlashSaleStarted, FlashSale sale):
                FlashSaleStarted?.Invoke(sale);
                break;
            case (LiveHubNames.FlashSaleUpdated, FlashSaleProgress progress):
                FlashSaleUpdated?.Invoke(progress);
                break;
            case (LiveHubNames.FlashSaleEnded, FlashSale sale):
                FlashSaleEnded?.Invoke(sale);
                break;
            case (LiveHubNames.ViewerCount, ViewerCountUpdate update):
                ViewerCountChanged?.Invoke(update);
                break;
            case (LiveHubNames.LikesUpdated, LikesUpdate update):
                LikesUpdated?.Invoke(update);
                break;
            case (LiveHubNames.StreamStarted, Room room):
                StreamStarted?.Invoke(room);
                break;
            case (LiveHubNames.StreamEnded, Room room):
                StreamEnded?.Invoke(room);
                break;
            case (LiveHubNames.RemovedFromRoom, RoomRemoval removal):
                Removed?.Invoke(removal);
                break;
            default:
                UnknownEvent?.Invoke(item);
                break;
        }
    }

    private void Report(Action handler)
    {
        try
        {
            handler();
        }
        catch (Exception e)
        {
            _client.ReportHandlerFailure(e);
        }
    }
}
