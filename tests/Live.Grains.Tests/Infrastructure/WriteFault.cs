using StackExchange.Redis;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>One armed fault of <see cref="StorageFaults"/>: fails, or holds, the next writes of one grain's state.</summary>
public sealed class WriteFault
{
    private readonly string _stateName;
    private readonly string _grainKey;
    private readonly bool _hold;
    private readonly bool _unreachable;
    private readonly bool _unsent;
    private readonly bool _landsLater;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _landed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _remaining;
    private int _hits;

    private int _skip;

    internal WriteFault(string stateName, string grainKey, int count, bool hold, int after, bool unreachable = false, bool unsent = false, bool landsLater = false)
    {
        _landsLater = landsLater;
        _unreachable = unreachable;
        _unsent = unsent;
        _skip = after;
        _stateName = stateName;
        _grainKey = grainKey;
        _remaining = count;
        _hold = hold;
    }

    /// <summary>How many writes this fault has taken so far.</summary>
    public int Hits => Volatile.Read(ref _hits);

    /// <summary>Completes when a write has reached this fault (for a held write: it is now in flight).</summary>
    public Task WhenHitAsync(string what) =>
        _started.Task.WaitAsync(ClusterFixture.CallTimeout).ContinueWith(
            t => t.IsFaulted ? throw new TimeoutException($"no write reached the fault: {what}", t.Exception) : t,
            TaskScheduler.Default).Unwrap();

    /// <summary>
    /// Lets a held write finish: stored when <paramref name="store"/>, failed (nothing stored) otherwise; a write that
    /// timed out and lands later (<see cref="StorageFaults.TimeOutAndLandLater"/>) is stored now when <paramref name="store"/>.
    /// </summary>
    public void Release(bool store) => _release.TrySetResult(store);

    /// <summary>Completes when a write that timed out and lands later has been stored (see <see cref="Release"/>).</summary>
    public Task WhenLandedAsync() => _landed.Task.WaitAsync(ClusterFixture.CallTimeout);

    private async Task LandAsync(Func<Task> land)
    {
        if (await _release.Task)
        {
            await land();
            _landed.TrySetResult();
        }
    }

    internal bool TryTake(string stateName, string grainKey)
    {
        if (stateName != _stateName || grainKey != _grainKey)
        {
            return false;
        }

        // Writes of one grain never overlap (one write at a time per activation), so these counts do not race.
        if (_skip > 0)
        {
            _skip--;
            return false;
        }

        if (Interlocked.Decrement(ref _remaining) < 0)
        {
            Interlocked.Increment(ref _remaining);
            return false;
        }

        return true;
    }

    internal async Task ApplyAsync(Func<Task>? land)
    {
        Interlocked.Increment(ref _hits);
        _started.TrySetResult();
        if (_landsLater && land is not null)
        {
            _ = LandAsync(land);
        }

        var store = _hold && await _release.Task;
        if (!store)
        {
            var message = $"injected storage fault: write of {_stateName} for {_grainKey}";
            throw _unsent ? new RedisConnectionException(ConnectionFailureType.UnableToConnect, message + " (no connection: not sent)")
                : _unreachable ? new TimeoutException(message + " (storage out of reach)")
                : new InvalidOperationException(message);
        }
    }
}
