namespace Live.Hosting.Failover;

/// <summary>
/// Tells calls in flight that this client lost a gateway (a connection to a silo closed, as when the silo is killed):
/// a call sent through it may never be answered, so <see cref="RetryingGrainCallFilter"/> stops waiting for it
/// rather than sit out the whole response timeout. Fed by Orleans' gateway-count notifications.
/// </summary>
public sealed class GatewayLoss
{
    private CancellationTokenSource _current = new();

    /// <summary>Cancelled at the next loss of a gateway (take it when a call starts).</summary>
    public CancellationToken Token => Volatile.Read(ref _current).Token;

    /// <summary>How many losses so far (diagnostics and tests).</summary>
    public int Losses { get; private set; }

    public void GatewayCountChanged(int connected, int previouslyConnected)
    {
        if (connected >= previouslyConnected)
        {
            return;
        }

        Losses++;
        var lost = Interlocked.Exchange(ref _current, new CancellationTokenSource());
        lost.Cancel();
    }
}
