using Live.Hub.Delivery;

namespace Live.Hub.Tests.Delivery;

/// <summary>
/// A connection whose write blocks its caller while the gate is shut: a fan-out that reaches it stays under way until
/// <see cref="Open"/>. Records what is written.
/// </summary>
internal sealed class GatedOutboxConnection(string connectionId) : IOutboxConnection, IDisposable
{
    private readonly ManualResetEventSlim _gate = new(initialState: true);
    private readonly Lock _lock = new();
    private readonly List<OutboxFrame> _written = [];
    private volatile bool _waiting;

    public string ConnectionId { get; } = connectionId;

    public OutboxFrame[] Written
    {
        get
        {
            lock (_lock)
            {
                return [.. _written];
            }
        }
    }

    /// <summary>A write is blocked at the shut gate.</summary>
    public bool Waiting => _waiting;

    public void Shut() => _gate.Reset();

    public void Open() => _gate.Set();

    public ValueTask WriteAsync(OutboxFrame frame)
    {
        if (!_gate.IsSet)
        {
            _waiting = true;
            _gate.Wait(TimeSpan.FromSeconds(30));
            _waiting = false;
        }

        lock (_lock)
        {
            _written.Add(frame);
        }

        return ValueTask.CompletedTask;
    }

    public long SizeOf(OutboxFrame frame) => 100;

    public void Abort()
    {
    }

    public void Dispose() => _gate.Dispose();
}
