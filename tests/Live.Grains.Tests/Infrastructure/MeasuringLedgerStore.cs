using System.Diagnostics;
using Live.Grains.FlashSales;
using Live.Grains.Ledger;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>
/// Wraps a silo's ledger store and records, for each log, every append that succeeded: how many entries and how many
/// bytes it handed the store (with the entries it put at the end of other logs), in order; and every snapshot written:
/// the position it covers and its bytes; and when each of them started and how long the store took (the store's one
/// writer serves both, so a big snapshot's write can hold the appends queued behind it). The scale test's measure of
/// what a commit, and the state kept beside the ledger, cost.
/// </summary>
public sealed class MeasuringLedgerStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<(int Entries, long Bytes)>> _appends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(long Position, long Bytes)>> _snapshots = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TimedWrite>> _appendTimes = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<TimedWrite>> _snapshotTimes = new(StringComparer.Ordinal);
    private ILedgerStore? _inner;

    public ILedgerStore Over(ILedgerStore inner)
    {
        _inner = inner;
        return new Store(this, inner);
    }

    public int Count(string key)
    {
        lock (_gate)
        {
            return _appends.TryGetValue(key, out var list) ? list.Count : 0;
        }
    }

    public IReadOnlyList<(int Entries, long Bytes)> Of(string key)
    {
        lock (_gate)
        {
            return _appends.TryGetValue(key, out var list) ? [.. list] : [];
        }
    }

    public IReadOnlyList<(long Position, long Bytes)> SnapshotsOf(string key)
    {
        lock (_gate)
        {
            return _snapshots.TryGetValue(key, out var list) ? [.. list] : [];
        }
    }

    /// <summary>When each successful append of the log started (<see cref="Stopwatch.GetTimestamp"/>) and how long it took.</summary>
    public IReadOnlyList<TimedWrite> AppendTimesOf(string key) => TimesOf(_appendTimes, key);

    /// <summary>When each snapshot write of the log started and how long it took, with its bytes.</summary>
    public IReadOnlyList<TimedWrite> SnapshotTimesOf(string key) => TimesOf(_snapshotTimes, key);

    public Task<LedgerRecord?> ReadSnapshotAsync(string key) =>
        (_inner ?? throw new InvalidOperationException("no store yet")).ReadSnapshotAsync(FlashSaleGrain.LedgerName, key);

    private IReadOnlyList<TimedWrite> TimesOf(Dictionary<string, List<TimedWrite>> times, string key)
    {
        lock (_gate)
        {
            return times.TryGetValue(key, out var list) ? [.. list] : [];
        }
    }

    private void Time(Dictionary<string, List<TimedWrite>> times, string key, long started, TimeSpan pausedBefore, long bytes)
    {
        var timed = new TimedWrite(started, Stopwatch.GetElapsedTime(started), bytes, GC.GetTotalPauseDuration() - pausedBefore);
        lock (_gate)
        {
            if (!times.TryGetValue(key, out var list))
            {
                times[key] = list = [];
            }

            list.Add(timed);
        }
    }

    private void Record(string key, IReadOnlyList<byte[]> entries)
    {
        lock (_gate)
        {
            if (!_appends.TryGetValue(key, out var list))
            {
                _appends[key] = list = [];
            }

            list.Add((entries.Count, entries.Sum(e => (long)e.Length)));
        }
    }

    private void RecordSnapshot(string key, LedgerRecord snapshot)
    {
        lock (_gate)
        {
            if (!_snapshots.TryGetValue(key, out var list))
            {
                _snapshots[key] = list = [];
            }

            list.Add((snapshot.Position, snapshot.Payload.Length));
        }
    }

    private sealed class Store(MeasuringLedgerStore owner, ILedgerStore inner) : ILedgerStore
    {
        public async Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries)
        {
            var (started, paused) = (Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration());
            await inner.AppendAsync(name, key, expectedLength, entries);
            owner.Time(owner._appendTimes, key, started, paused, entries.Sum(e => (long)e.Length));
            owner.Record(key, entries);
        }

        public async Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries, IReadOnlyList<LedgerTailEntry> atEnd)
        {
            var (started, paused) = (Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration());
            await inner.AppendAsync(name, key, expectedLength, entries, atEnd);
            owner.Time(owner._appendTimes, key, started, paused, entries.Sum(e => (long)e.Length));
            if (entries.Count > 0)
            {
                // The orders it put in the buyers' books are part of what the commit wrote.
                owner.Record(key, [.. entries, .. atEnd.Select(e => e.Entry)]);
            }
        }

        public Task<IReadOnlyList<LedgerRecord>> ReadAsync(string name, string key, long after, int limit) => inner.ReadAsync(name, key, after, limit);

        public async Task WriteSnapshotAsync(string name, string key, LedgerRecord snapshot)
        {
            var (started, paused) = (Stopwatch.GetTimestamp(), GC.GetTotalPauseDuration());
            await inner.WriteSnapshotAsync(name, key, snapshot);
            owner.Time(owner._snapshotTimes, key, started, paused, snapshot.Payload.Length);
            owner.RecordSnapshot(key, snapshot);
        }

        public Task<LedgerRecord?> ReadSnapshotAsync(string name, string key) => inner.ReadSnapshotAsync(name, key);
    }
}
