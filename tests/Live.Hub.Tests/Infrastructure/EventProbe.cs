using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Hub.Tests.Infrastructure;

/// <summary>Records one event of a connection, to be awaited with a timeout that names what was awaited.</summary>
public sealed class EventProbe<T>
{
    private readonly Channel<T> _received = Channel.CreateUnbounded<T>();
    private readonly string _name;

    public EventProbe(HubConnection connection, string eventName)
    {
        _name = eventName;
        connection.On<T>(eventName, item => _received.Writer.TryWrite(item));
    }

    /// <summary>The next event that satisfies <paramref name="match"/>, skipping others.</summary>
    public async Task<T> WaitAsync(Func<T, bool>? match = null, TimeSpan? timeout = null, string? what = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        try
        {
            while (true)
            {
                var item = await _received.Reader.ReadAsync(cts.Token);
                if (match is null || match(item))
                {
                    return item;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {_name} event{(what is null ? "" : $" ({what})")} within {timeout ?? TimeSpan.FromSeconds(10)}");
        }
    }

    /// <summary>Everything received so far, without waiting.</summary>
    public List<T> Drain()
    {
        var items = new List<T>();
        while (_received.Reader.TryRead(out var item))
        {
            items.Add(item);
        }

        return items;
    }
}
