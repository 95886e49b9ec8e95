using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Testing;

/// <summary>
/// Everything received of one event (a hub connection's, or anything a test records), awaited by the next match or
/// by a condition over all of it, with a timeout that names what was awaited. Each record wakes the waiters: no polling.
/// </summary>
public sealed class EventProbe<T>
{
    private static readonly TimeSpan NextTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan UntilTimeout = TimeSpan.FromSeconds(20);

    private readonly List<T> _items = [];
    private readonly string _name;
    private int _taken;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Records <paramref name="eventName"/> of <paramref name="connection"/>; register before the events come (SignalR buffers none).</summary>
    public EventProbe(HubConnection connection, string eventName)
        : this(eventName) => connection.On<T>(eventName, Record);

    /// <summary>A probe of whatever the test hands to <see cref="Record"/>.</summary>
    public EventProbe(string name) => _name = name;

    /// <summary>Everything received so far, oldest first.</summary>
    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_items)
            {
                return [.. _items];
            }
        }
    }

    public void Record(T item)
    {
        TaskCompletionSource changed;
        lock (_items)
        {
            _items.Add(item);
            changed = _changed;
            _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }

    /// <summary>The next event not yet taken that satisfies <paramref name="match"/>, taking the others before it.</summary>
    public async Task<T> WaitAsync(Func<T, bool>? match = null, TimeSpan? timeout = null, string? what = null)
    {
        var limit = timeout ?? NextTimeout;
        T found = default!;
        await WaitForAsync(
            () =>
            {
                while (_taken < _items.Count)
                {
                    var item = _items[_taken++];
                    if (match is null || match(item))
                    {
                        found = item;
                        return true;
                    }
                }

                return false;
            },
            limit,
            () => $"no {_name} event{(what is null ? "" : $" ({what})")} within {limit}");
        return found;
    }

    /// <summary>Waits until everything received so far satisfies <paramref name="condition"/>.</summary>
    public Task WaitUntilAsync(Func<IReadOnlyList<T>, bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? UntilTimeout;
        return WaitForAsync(() => condition([.. _items]), limit, () => $"{_name}: {what} not seen within {limit} (got {_items.Count})");
    }

    /// <summary>Everything not yet taken, without waiting; takes it.</summary>
    public List<T> Drain()
    {
        lock (_items)
        {
            var items = _items[_taken..];
            _taken = _items.Count;
            return items;
        }
    }

    /// <param name="test">Called under the lock, on every change, until it answers true.</param>
    /// <param name="limit">How long to wait.</param>
    /// <param name="timedOut">The timeout's message, made under the lock.</param>
    private async Task WaitForAsync(Func<bool> test, TimeSpan limit, Func<string> timedOut)
    {
        using var cts = new CancellationTokenSource(limit);
        while (true)
        {
            Task changed;
            lock (_items)
            {
                if (test())
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                lock (_items)
                {
                    throw new TimeoutException(timedOut());
                }
            }
        }
    }
}
