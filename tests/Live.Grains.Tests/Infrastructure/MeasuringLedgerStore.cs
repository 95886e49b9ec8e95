using Live.Grains.FlashSales;
using Live.Grains.Ledger;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>
/// Wraps a silo's ledger store and records, for each log, every append that succeeded: how many entries and how many
/// bytes it handed the store (with the entries it put at the end of other logs), in order; and every snapshot written:
/// the position it covers and its bytes. The scale test's measure of what a commit, and the state kept beside the
/// ledger, cost.
/// </summary>
public sealed class MeasuringLedgerStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<(int Entries, long Bytes)>> _appends = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<(long Position, long Bytes)>> _snapshots = new(StringComparer.Ordinal);
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

    public Task<LedgerRecord?> ReadSnapshotAsync(string key) =>
        (_inner ?? throw new InvalidOperationException("no store yet")).ReadSnapshotAsync(FlashSaleGrain.LedgerName, key);

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
            await inner.AppendAsync(name, key, expectedLength, entries);
            owner.Record(key, entries);
        }

        public async Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries, IReadOnlyList<LedgerTailEntry> atEnd)
        {
            await inner.AppendAsync(name, key, expectedLength, entries, atEnd);
            if (entries.Count > 0)
            {
                // The orders it put in the buyers' books are part of what the commit wrote.
                owner.Record(key, [.. entries, .. atEnd.Select(e => e.Entry)]);
            }
        }

        public Task<IReadOnlyList<LedgerRecord>> ReadAsync(string name, string key, long after, int limit) => inner.ReadAsync(name, key, after, limit);

        public async Task WriteSnapshotAsync(string name, string key, LedgerRecord snapshot)
        {
            await inner.WriteSnapshotAsync(name, key, snapshot);
            owner.RecordSnapshot(key, snapshot);
        }

        public Task<LedgerRecord?> ReadSnapshotAsync(string name, string key) => inner.ReadSnapshotAsync(name, key);
    }
}
