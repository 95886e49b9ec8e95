namespace Live.Grains.FlashSales;

/// <summary>
/// Group commit over a storage write: <see cref="CommitAsync"/> completes after a write that started after the call,
/// so whatever the caller changed before calling is durable. Callers that arrive while a write is in flight share the
/// next write, and one write runs at a time, so a rush costs one write per batch instead of one per caller.
/// </summary>
/// <remarks>
/// After a failed write the memory may be ahead of storage, so the commit is broken for good: the failed batch, the
/// batch queued behind it and every later call fail with the write's exception, and <c>onFailure</c> runs once (a
/// grain deactivates, to reload from storage). Not thread-safe: meant for a grain activation, whose turns never overlap.
/// </remarks>
internal sealed class GroupCommit(Func<Task> write, Action<Exception> onFailure)
{
    private TaskCompletionSource? _next;
    private Task? _pump;
    private Exception? _failure;
    private int _holds;

    public bool IsBroken => _failure is not null;

    /// <summary>The write's exception that broke the commit; null while it is not broken.</summary>
    public Exception? Failure => _failure;

    /// <summary>Callers are waiting for a write that has not started yet.</summary>
    public bool HasWaiting => _next is not null;

    public Task CommitAsync()
    {
        if (_failure is { } failure)
        {
            return Task.FromException(failure);
        }

        // Callers resume outside the pump: run inline, their continuations would hold up the next write.
        _next ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commit = _next.Task;
        if (_holds == 0)
        {
            StartIfIdle();
        }

        return commit;
    }

    /// <summary>
    /// Until the returned scope is disposed, callers queue for the next write but no write starts: callers that arrive
    /// together (a batch of purchases) share one write even when none was running. Scopes nest.
    /// </summary>
    public IDisposable Hold()
    {
        _holds++;
        return new Holding(this);
    }

    private void Release()
    {
        if (--_holds == 0 && _next is not null && _failure is null)
        {
            StartIfIdle();
        }
    }

    private void StartIfIdle()
    {
        if (_pump is null || _pump.IsCompleted)
        {
            _pump = PumpAsync();
        }
    }

    /// <summary>Completes when no write is running or queued; never faults.</summary>
    public Task WhenIdleAsync() => _pump ?? Task.CompletedTask;

    private async Task PumpAsync()
    {
        while (_next is { } batch)
        {
            _next = null;
            try
            {
                await write();
                batch.SetResult();
            }
            catch (Exception ex)
            {
                _failure = ex;
                onFailure(ex);
                batch.SetException(ex);
                _next?.SetException(ex);
                _next = null;
            }
        }

        _pump = null;
    }

    private sealed class Holding(GroupCommit commit) : IDisposable
    {
        private bool _released;

        public void Dispose()
        {
            if (!_released)
            {
                _released = true;
                commit.Release();
            }
        }
    }
}
