using Live.Grains.Ledger;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>
/// The grain tests' ledger store: <paramref name="inner"/> with the appends that <paramref name="faults"/> names (by
/// ledger name and key, the way <see cref="FaultInjectingGrainStorage"/> names a state and a grain) failed or held.
/// An append's entries are taken when it starts, as the real stores do. Snapshot writes go through unharmed unless a
/// test arms faults for them (<see cref="SnapshotName"/>).
/// </summary>
internal sealed class FaultInjectingLedgerStore(ILedgerStore inner, StorageFaults faults) : ILedgerStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _appends = new(StringComparer.Ordinal);

    /// <summary>How many appends to the log <paramref name="key"/> have succeeded.</summary>
    public int AppendsTo(string key) => _appends.GetValueOrDefault(key);

    /// <summary>The name a fault takes to fail or hold a ledger's snapshot writes rather than its appends.</summary>
    public static string SnapshotName(string ledgerName) => ledgerName + "/snapshot";

    public async Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries)
    {
        var taken = entries.Select(e => e.ToArray()).ToArray();
        await faults.BeforeWriteAsync(name, key);
        await inner.AppendAsync(name, key, expectedLength, taken);
        _appends.AddOrUpdate(key, 1, (_, n) => n + 1);
    }

    public Task<IReadOnlyList<LedgerRecord>> ReadAsync(string name, string key, long after, int limit) =>
        inner.ReadAsync(name, key, after, limit);

    public async Task WriteSnapshotAsync(string name, string key, LedgerRecord snapshot)
    {
        await faults.BeforeWriteAsync(SnapshotName(name), key);
        await inner.WriteSnapshotAsync(name, key, snapshot);
    }

    public Task<LedgerRecord?> ReadSnapshotAsync(string name, string key) => inner.ReadSnapshotAsync(name, key);
}
