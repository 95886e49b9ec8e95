using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Cluster.Tests.Infrastructure;

/// <summary>Everything one connection received of one event, awaitable by condition with a named timeout.</summary>
public sealed class Received<T>
{
    private readonly ConcurrentQueue<T> _items = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly string _name;

    public Received(HubConnection connection, string eventName)
    {
        _name = eventName;
        connection.On<T>(eventName, item =>
        {
            _items.Enqueue(item);
            _signal.Release();
        });
    }

    public IReadOnlyList<T> Items => [.. _items];

    public async Task WaitUntilAsync(Func<IReadOnlyList<T>, bool> condition, string what, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(20);
        using var cts = new CancellationTokenSource(limit);
        while (!condition(Items))
        {
            try
            {
                await _signal.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{_name}: {what} not seen within {limit} (got {_items.Count})");
            }
        }
    }
}
