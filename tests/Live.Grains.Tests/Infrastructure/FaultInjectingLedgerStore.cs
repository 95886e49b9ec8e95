using Live.Grains.Ledger;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>
/// The grain tests' ledger store: <paramref name="inner"/> with the appends that <paramref name="faults"/> names (by
/// ledger name and key, the way <see cref="FaultInjectingGrainStorage"/> names a state and a grain) failed or held.
/// An append's entries are taken when it starts, as the real stores do. Snapshot writes and reads go through unharmed
/// unless a test arms faults for them (<see cref="SnapshotName"/>, <see cref="ReadName"/>).
/// </summary>
internal sealed class FaultInjectingLedgerStore(ILedgerStore inner, StorageFaults faults) : ILedgerStore
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, int> _appends = new(StringComparer.Ordinal);

    /// <summary>How many appends to the log <paramref name="key"/> have succeeded.</summary>
    public int AppendsTo(string key) => _appends.GetValueOrDefault(key);

    /// <summary>The name a fault takes to fail or hold a ledger's snapshot writes rather than its appends.</summary>
    public static string SnapshotName(string ledgerName) => ledgerName + "/snapshot";

    /// <summary>
    /// The name a fault takes to hold (or fail) a ledger's reads: a held read starts only once released, so it sees
    /// what was appended meanwhile.
    /// </summary>
    public static string ReadName(string ledgerName) => ledgerName + "/read";

    public Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries) =>
        AppendAsync(name, key, expectedLength, entries, []);

    /// <summary>A fault named for any of the logs the append writes (the checked one, or one at whose end it puts an entry) fails it whole.</summary>
    public async Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries, IReadOnlyList<LedgerTailEntry> atEnd)
    {
        var taken = entries.Select(e => e.ToArray()).ToArray();
        var takenAtEnd = atEnd.Select(e => e with { Entry = e.Entry.ToArray() }).ToArray();
        if (taken.Length > 0)
        {
            await faults.BeforeWriteAsync(name, key);
        }

        foreach (var tail in takenAtEnd)
        {
            await faults.BeforeWriteAsync(tail.Name, tail.Key);
        }

        await inner.AppendAsync(name, key, expectedLength, taken, takenAtEnd);
        foreach (var written in (taken.Length > 0 ? [key] : Array.Empty<string>()).Concat(takenAtEnd.Select(e => e.Key)))
        {
            _appends.AddOrUpdate(written, 1, (_, n) => n + 1);
        }
    }

    public async Task<IReadOnlyList<LedgerRecord>> ReadAsync(string name, string key, long after, int limit)
    {
        await faults.BeforeWriteAsync(ReadName(name), key);
        return await inner.ReadAsync(name, key, after, limit);
    }

    public async Task WriteSnapshotAsync(string name, string key, LedgerRecord snapshot)
    {
        await faults.BeforeWriteAsync(SnapshotName(name), key);
        await inner.WriteSnapshotAsync(name, key, snapshot);
    }

    public Task<LedgerRecord?> ReadSnapshotAsync(string name, string key) => inner.ReadSnapshotAsync(name, key);
}
