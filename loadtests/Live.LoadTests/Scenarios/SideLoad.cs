using System.Diagnostics;

namespace Live.LoadTests.Scenarios;

/// <summary>
/// Calls made beside a scenario's own load at a steady rate, without waiting for each other (an open model, as
/// <see cref="Engine.ConstantRate"/>): fan-out's likes and purchases. Every 50 ms it starts the calls the rate owes
/// since it began; a call that fails is counted, not retried. Disposing stops it and waits for the calls in flight (up
/// to 15 s; then they are cancelled and not counted), so the counts are final once it returns.
/// </summary>
public sealed class SideLoad : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(15);

    private readonly CancellationTokenSource _stopStarting = new();
    private readonly CancellationTokenSource _cancelCalls = new();
    private readonly HashSet<Task> _inFlight = [];
    private readonly Task _loop;
    private long _started;
    private long _failed;

    public SideLoad(double perSecond, Func<long, CancellationToken, Task> call)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        _loop = RunAsync(perSecond, call);
    }

    public long Started => Interlocked.Read(ref _started);

    /// <summary>Calls that failed (not those still in flight when disposing gave up on them).</summary>
    public long Failed => Interlocked.Read(ref _failed);

    public async ValueTask DisposeAsync()
    {
        await _stopStarting.CancelAsync();
        await _loop;
        Task[] inFlight;
        lock (_inFlight)
        {
            inFlight = [.. _inFlight];
        }

        try
        {
            await Task.WhenAll(inFlight).WaitAsync(SettleTimeout);
        }
        catch (TimeoutException)
        {
        }

        await _cancelCalls.CancelAsync();
        _stopStarting.Dispose();
        _cancelCalls.Dispose();
    }

    private async Task RunAsync(double perSecond, Func<long, CancellationToken, Task> call)
    {
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopStarting.Token))
            {
                var owed = (long)(clock.Elapsed.TotalSeconds * perSecond);
                while (Started < owed)
                {
                    Track(CallAsync(call, Interlocked.Increment(ref _started)));
                }
            }
        }
        catch (OperationCanceledException) when (_stopStarting.IsCancellationRequested)
        {
        }
    }

    private void Track(Task task)
    {
        lock (_inFlight)
        {
            _inFlight.Add(task);
        }

        _ = task.ContinueWith(
            done =>
            {
                lock (_inFlight)
                {
                    _inFlight.Remove(done);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    // Never throws: what fails is counted, unless disposing cancelled it.
    private async Task CallAsync(Func<long, CancellationToken, Task> call, long n)
    {
        try
        {
            await call(n, _cancelCalls.Token);
        }
        catch (Exception)
        {
            if (!_cancelCalls.IsCancellationRequested)
            {
                Interlocked.Increment(ref _failed);
            }
        }
    }
}
