namespace Live.Hub.Delivery;

/// <summary>
/// One connection's bounded outgoing queue, drained by one writer that awaits each write, so a connection that stops
/// reading holds back only itself. A frame for an idle connection is written at once, on the caller's thread (as
/// SignalR's group send does: a write to a transport with room completes synchronously); only a connection whose last
/// write has not completed queues. The queue keeps the events' order and applies the lanes of PROTOCOL.md: a
/// latest-value frame replaces the queued one of its key (the newer goes to the tail, so order by <c>seq</c> is
/// kept); over <see cref="OutboxOptions.MaxFrames"/> or <see cref="OutboxOptions.MaxBytes"/> (not counting the newest
/// frame) the oldest chat goes first; when only must-deliver frames are left over the bounds, when a write has been blocked for
/// <see cref="OutboxOptions.WriteTimeout"/>, or when a must-deliver frame has waited in the queue for
/// <see cref="OutboxOptions.MustDeliverTimeout"/> (a connection whose writes complete, but too slowly to keep up;
/// both found by <see cref="Sweep"/>), the connection is closed and its queue freed.
/// A lagging connection's adjacent chat frames of one room leave as one <c>ChatBatch</c>.
/// </summary>
public sealed class ConnectionOutbox
{
    private readonly IOutboxConnection _connection;
    private readonly OutboxOptions _options;
    private readonly TimeProvider _time;
    private readonly DeliveryMetrics _metrics;
    private readonly LinkedList<Queued> _queue = new();
    private readonly Lock _lock = new();
    private long _bytes;
    private bool _writing;
    private long _writeStartedAt;
    private bool _closed;

    public ConnectionOutbox(IOutboxConnection connection, OutboxOptions options, TimeProvider time, DeliveryMetrics metrics)
    {
        _connection = connection;
        _options = options;
        _time = time;
        _metrics = metrics;
    }

    public string ConnectionId => _connection.ConnectionId;

    public int QueuedFrames
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    public long QueuedBytes
    {
        get
        {
            lock (_lock)
            {
                return _bytes;
            }
        }
    }

    /// <summary>The most frames this outbox has held at once (a diagnostic of its bound).</summary>
    public int PeakFrames { get; private set; }

    /// <summary>The most bytes this outbox has held at once (a diagnostic of its bound).</summary>
    public long PeakBytes { get; private set; }

    /// <summary>Chat messages dropped because the connection fell behind.</summary>
    public long DroppedChatMessages { get; private set; }

    /// <summary>Latest-value frames replaced by a newer one before they were written.</summary>
    public long ReplacedValues { get; private set; }

    /// <summary>
    /// Why the server closed the connection (<c>overflow</c>, <c>write_timeout</c>, <c>must_deliver_timeout</c>,
    /// <c>write_failed</c>); null while open.
    /// </summary>
    public string? ClosedBecause { get; private set; }

    public bool IsClosed
    {
        get
        {
            lock (_lock)
            {
                return _closed;
            }
        }
    }

    public void Enqueue(OutboxFrame frame)
    {
        string? close = null;
        OutboxFrame? writeNow = null;
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            if (!_writing)
            {
                // Nothing queued and nothing in flight: write at once (outside the lock).
                _writing = true;
                _writeStartedAt = _time.GetTimestamp();
                writeNow = frame;
            }
            else
            {
                if (frame.Key is not null && RemoveQueued(frame.Key))
                {
                    ReplacedValues++;
                    _metrics.ValueReplaced();
                }

                var size = _connection.SizeOf(frame);
                _queue.AddLast(new Queued(frame, size, _time.GetTimestamp()));
                _bytes += size;
                if (!TrimToBounds())
                {
                    close = "overflow";
                }

                if (_queue.Count > PeakFrames || _bytes > PeakBytes)
                {
                    PeakFrames = Math.Max(PeakFrames, _queue.Count);
                    PeakBytes = Math.Max(PeakBytes, _bytes);
                    _metrics.Queued(PeakFrames, PeakBytes);
                }
            }
        }

        if (close is not null)
        {
            Close(close);
        }
        else if (writeNow is not null)
        {
            _ = DrainAsync(writeNow);
        }
    }

    /// <summary>
    /// Closes the connection when its write has been blocked longer than <see cref="OutboxOptions.WriteTimeout"/>, or its
    /// oldest queued must-deliver frame has waited longer than <see cref="OutboxOptions.MustDeliverTimeout"/>; true when it did.
    /// </summary>
    public bool Sweep()
    {
        string reason;
        lock (_lock)
        {
            if (_closed || !_writing)
            {
                return false;
            }

            if (_time.GetElapsedTime(_writeStartedAt) >= _options.WriteTimeout)
            {
                reason = "write_timeout";
            }
            else if (OldestMustDeliver() is { } queuedAt && _time.GetElapsedTime(queuedAt) >= _options.MustDeliverTimeout)
            {
                reason = "must_deliver_timeout";
            }
            else
            {
                return false;
            }
        }

        Close(reason);
        return true;
    }

    /// <summary>The connection is gone: free the queue, write nothing more.</summary>
    public void Discard()
    {
        lock (_lock)
        {
            _closed = true;
            _queue.Clear();
            _bytes = 0;
        }
    }

    private async Task DrainAsync(OutboxFrame next)
    {
        while (true)
        {
            try
            {
                await _connection.WriteAsync(next);
            }
            catch (Exception)
            {
                Close("write_failed");
                return;
            }

            lock (_lock)
            {
                if (_closed || _queue.Count == 0)
                {
                    _writing = false;
                    return;
                }

                next = TakeNext();
                _writeStartedAt = _time.GetTimestamp();
            }
        }
    }

    private OutboxFrame TakeNext()
    {
        var first = _queue.First!;
        _queue.RemoveFirst();
        _bytes -= first.Value.Size;
        if (first.Value.Frame.Lane != OutboxLane.Droppable || _queue.First is not { } following
            || following.Value.Frame.Lane != OutboxLane.Droppable || following.Value.Frame.RoomId != first.Value.Frame.RoomId)
        {
            return first.Value.Frame;
        }

        // The connection fell behind: one frame for the run of chat instead of one per room tick.
        var run = new List<OutboxFrame> { first.Value.Frame };
        while (_queue.First is { } node && node.Value.Frame.Lane == OutboxLane.Droppable && node.Value.Frame.RoomId == first.Value.Frame.RoomId)
        {
            run.Add(node.Value.Frame);
            _bytes -= node.Value.Size;
            _queue.RemoveFirst();
        }

        return OutboxFrame.MergeChat(run);
    }

    /// <summary>When the oldest must-deliver frame in the queue was queued (the queue is in order, so the first found); null when none waits.</summary>
    private long? OldestMustDeliver()
    {
        for (var node = _queue.First; node is not null; node = node.Next)
        {
            if (node.Value.Frame.Lane == OutboxLane.MustDeliver)
            {
                return node.Value.QueuedAt;
            }
        }

        return null;
    }

    private bool RemoveQueued(string key)
    {
        for (var node = _queue.First; node is not null; node = node.Next)
        {
            if (node.Value.Frame.Key == key)
            {
                _bytes -= node.Value.Size;
                _queue.Remove(node);
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Drops the oldest chat until the queue is within its bounds; false when only must-deliver and latest-value frames
    /// are left over them. The byte bound holds for the queue before its newest frame: a loaded room sends fewer, fuller
    /// chat frames, one of which can outweigh the bound by itself, and a connection that merely has a write in flight
    /// when it comes must not lose it (a CI run saw a reading viewer lose chat so). So a queue holds at most
    /// <see cref="OutboxOptions.MaxBytes"/> plus one frame.
    /// </summary>
    private bool TrimToBounds()
    {
        var node = _queue.First;
        while (_queue.Count > _options.MaxFrames || (_queue.Count > 1 && _bytes - _queue.Last!.Value.Size > _options.MaxBytes))
        {
            while (node is not null && node.Value.Frame.Lane != OutboxLane.Droppable)
            {
                node = node.Next;
            }

            if (node is null)
            {
                return false;
            }

            var dropped = node;
            node = node.Next;
            _queue.Remove(dropped);
            _bytes -= dropped.Value.Size;
            var messages = dropped.Value.Frame.Chat.Count;
            DroppedChatMessages += messages;
            _metrics.ChatDropped(messages);
        }

        return true;
    }

    private void Close(string reason)
    {
        lock (_lock)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _queue.Clear();
            _bytes = 0;
            ClosedBecause = reason;
        }

        _metrics.Closed(reason);
        _connection.Abort();
    }

    private readonly record struct Queued(OutboxFrame Frame, long Size, long QueuedAt);
}
