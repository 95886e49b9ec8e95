using System.Collections.Concurrent;
using Live.LoadTests.Servers;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.LoadTests.Engine;

/// <summary>What a scenario's init, steps and finish share: the server, metrics, values, checks and open connections.</summary>
public sealed class ScenarioContext(string scenarioName, IServerHost server, WireProtocol protocol, Action<string> log, CancellationToken aborted)
{
    private readonly ConcurrentDictionary<string, LatencyMetric> _metrics = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _counters = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<CheckResult> _checks = new();
    private readonly ConcurrentQueue<(string Name, double Value, string Unit)> _values = new();
    private readonly ConcurrentBag<HubConnection> _connections = [];

    public string ScenarioName { get; } = scenarioName;

    public IServerHost Server { get; } = server;

    public WireProtocol Protocol { get; } = protocol;

    public CancellationToken Aborted { get; } = aborted;

    public Phase Phase { get; internal set; } = Phase.Init;

    /// <summary>When measuring started (a <see cref="System.Diagnostics.Stopwatch"/> timestamp); 0 before.</summary>
    public long MeasureStarted { get; internal set; }

    /// <summary>How long the measured load ran (set when it ends).</summary>
    public TimeSpan MeasuredFor { get; internal set; }

    /// <summary>
    /// Bytes the server's processes had the kernel write to storage during the measured load (Linux
    /// <c>/proc/PID/io</c> <c>write_bytes</c>: SQLite's log and file, redis-server's append-only file, logs), set
    /// when it ends; null where it cannot be read (a server inside the tool, another OS).
    /// </summary>
    public long? ServerBytesWritten { get; internal set; }

    /// <summary>A one-line status the progress line shows while the scenario runs.</summary>
    public Func<string>? Status { get; set; }

    public void Log(string message) => log(message);

    public LatencyMetric Metric(string name) => _metrics.GetOrAdd(name, n => new LatencyMetric(n));

    public void Count(string counter, long by = 1) => _counters.AddOrUpdate(counter, by, (_, v) => v + by);

    public long Counter(string counter) => _counters.TryGetValue(counter, out var value) ? value : 0;

    public void Check(string name, bool passed, string detail) => _checks.Enqueue(new CheckResult(name, passed, detail));

    public void Value(string name, double value, string unit) => _values.Enqueue((name, value, unit));

    /// <summary>Keeps a connection to be closed when the scenario ends, and counts it if the server drops it.</summary>
    public HubConnection Track(HubConnection connection)
    {
        _connections.Add(connection);
        connection.Closed += error =>
        {
            if (Phase != Phase.Finish || error is not null)
            {
                Count("connections dropped");
            }

            return Task.CompletedTask;
        };
        return connection;
    }

    internal IReadOnlyCollection<LatencyMetric> Metrics => [.. _metrics.Values.OrderBy(m => m.Name, StringComparer.Ordinal)];

    internal IReadOnlyDictionary<string, long> Counters => new SortedDictionary<string, long>(_counters, StringComparer.Ordinal);

    internal IReadOnlyList<CheckResult> Checks => [.. _checks];

    internal IReadOnlyList<(string Name, double Value, string Unit)> Values => [.. _values];

    internal void ResetMetrics()
    {
        foreach (var metric in _metrics.Values)
        {
            metric.Reset();
        }
    }

    internal int OpenConnections => _connections.Count;

    internal async Task CloseConnectionsAsync(TimeSpan timeout)
    {
        Phase = Phase.Finish;
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await Parallel.ForEachAsync(_connections, new ParallelOptions { MaxDegreeOfParallelism = 64, CancellationToken = cts.Token }, async (c, _) =>
            {
                try
                {
                    await c.DisposeAsync();
                }
                catch (Exception)
                {
                    // A connection that fails to close politely is gone all the same when the server stops.
                }
            });
        }
        catch (OperationCanceledException)
        {
            log($"closing {_connections.Count} connections did not finish within {timeout.TotalSeconds:0} s; the server's stop ends them");
        }
    }
}
