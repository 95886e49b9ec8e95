namespace Live.Grains.Ledger;

/// <summary>
/// Logs in this process's memory, for <c>Cluster:Storage=Memory</c> (lost when the silo stops) and for tests.
/// Entries are copied in and out, so no caller can change what is stored.
/// </summary>
public sealed class MemoryLedgerStore : ILedgerStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string, string), List<byte[]>> _logs = [];
    private readonly Dictionary<(string, string), LedgerRecord> _snapshots = [];

    public Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries) =>
        AppendAsync(name, key, expectedLength, entries, []);

    public Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries, IReadOnlyList<LedgerTailEntry> atEnd)
    {
        lock (_gate)
        {
            if (entries.Count > 0)
            {
                var log = Log(name, key);
                if (log.Count != expectedLength)
                {
                    throw new LedgerConflictException(name, key, expectedLength, log.Count);
                }

                log.AddRange(entries.Select(e => e.ToArray()));
            }

            foreach (var tail in atEnd)
            {
                Log(tail.Name, tail.Key).Add(tail.Entry.ToArray());
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<LedgerRecord>> ReadAsync(string name, string key, long after, int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        lock (_gate)
        {
            IReadOnlyList<LedgerRecord> page = _logs.TryGetValue((name, key), out var log)
                ? [.. log.Skip((int)Math.Min(after, int.MaxValue)).Take(limit).Select((e, i) => new LedgerRecord(after + i + 1, e.ToArray()))]
                : [];
            return Task.FromResult(page);
        }
    }

    public Task WriteSnapshotAsync(string name, string key, LedgerRecord snapshot)
    {
        lock (_gate)
        {
            _snapshots[(name, key)] = snapshot with { Payload = snapshot.Payload.ToArray() };
        }

        return Task.CompletedTask;
    }

    public Task<LedgerRecord?> ReadSnapshotAsync(string name, string key)
    {
        lock (_gate)
        {
            return Task.FromResult<LedgerRecord?>(_snapshots.TryGetValue((name, key), out var s) ? s with { Payload = s.Payload.ToArray() } : null);
        }
    }

    private List<byte[]> Log(string name, string key)
    {
        if (!_logs.TryGetValue((name, key), out var log))
        {
            _logs[(name, key)] = log = [];
        }

        return log;
    }
}
