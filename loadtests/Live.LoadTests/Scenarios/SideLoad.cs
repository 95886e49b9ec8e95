using System.Diagnostics;

namespace Live.LoadTests.Scenarios;

/// <summary>
/// Calls made beside a scenario's own load at a steady rate, without waiting for each other (an open model, as
/// <see cref="Engine.ConstantRate"/>): fan-out's likes and purchases. Every 50 ms it starts the calls the rate owes
/// since it began; a call that fails is counted, not retried.
/// </summary>
public sealed class SideLoad : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(50);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private long _started;
    private long _failed;

    public SideLoad(double perSecond, Func<long, CancellationToken, Task> call)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perSecond);
        _loop = RunAsync(perSecond, call, _stop.Token);
    }

    public long Started => Interlocked.Read(ref _started);

    public long Failed => Interlocked.Read(ref _failed);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync(double perSecond, Func<long, CancellationToken, Task> call, CancellationToken stop)
    {
        var clock = Stopwatch.StartNew();
        using var timer = new PeriodicTimer(Tick);
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var owed = (long)(clock.Elapsed.TotalSeconds * perSecond);
                while (_started < owed)
                {
                    var n = Interlocked.Increment(ref _started);
                    _ = CallAsync(call, n, stop);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task CallAsync(Func<long, CancellationToken, Task> call, long n, CancellationToken stop)
    {
        try
        {
            await call(n, stop);
        }
        catch (Exception) when (!stop.IsCancellationRequested)
        {
            Interlocked.Increment(ref _failed);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
