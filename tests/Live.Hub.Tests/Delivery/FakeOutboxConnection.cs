using Live.Hub.Delivery;

namespace Live.Hub.Tests.Delivery;

/// <summary>
/// A connection for outbox rules: records what is written; while stalled, a write does not complete; once told to, it
/// cannot size (serialize) a frame.
/// </summary>
internal sealed class FakeOutboxConnection(string connectionId = "c1", long frameSize = 100) : IOutboxConnection
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _stall;
    private volatile bool _unsizable;

    public string ConnectionId { get; } = connectionId;

    public List<OutboxFrame> Written { get; } = [];

    public bool Aborted { get; private set; }

    /// <summary>Writes from now on do not complete until <see cref="Resume"/>.</summary>
    public void Stall()
    {
        lock (_lock)
        {
            _stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    public void Resume()
    {
        TaskCompletionSource? stall;
        lock (_lock)
        {
            stall = _stall;
            _stall = null;
        }

        stall?.SetResult();
    }

    public ValueTask WriteAsync(OutboxFrame frame)
    {
        lock (_lock)
        {
            Written.Add(frame);
            return _stall is { } stall ? new ValueTask(stall.Task) : ValueTask.CompletedTask;
        }
    }

    /// <summary>Completes the writes waiting now, as a socket that takes a few bytes; writes after them stall again.</summary>
    public void Trickle()
    {
        TaskCompletionSource? stall;
        lock (_lock)
        {
            stall = _stall;
            _stall = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        stall?.SetResult();
    }

    /// <summary>From now on <see cref="SizeOf"/> throws, as for a frame the connection's protocol cannot write.</summary>
    public void FailSizing() => _unsizable = true;

    public long SizeOf(OutboxFrame frame) => _unsizable ? throw new InvalidOperationException("the frame cannot be written") : frameSize;

    public void Abort() => Aborted = true;
}
