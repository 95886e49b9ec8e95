using Live.Grains.Ledger;
using Live.Storage;
using Orleans.Storage;

namespace Live.Hosting;

/// <summary>The grains' <see cref="ILedgerStore"/> on the embedded database (<c>Cluster:Storage=Sqlite</c>).</summary>
public sealed class SqliteLedgerStore(SqliteLedger ledger) : ILedgerStore
{
    public SqliteLedger Ledger => ledger;

    public Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries) =>
        AppendAsync(name, key, expectedLength, entries, []);

    public async Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries, IReadOnlyList<LedgerTailEntry> atEnd)
    {
        try
        {
            await ledger.AppendAsync(name, key, expectedLength, entries, [.. atEnd.Select(e => (e.Name, e.Key, e.Entry))]);
        }
        catch (InconsistentStateException conflict)
        {
            throw new LedgerConflictException(name, key, expectedLength, long.TryParse(conflict.StoredEtag, out var actual) ? actual : -1);
        }
    }

    public async Task<IReadOnlyList<LedgerRecord>> ReadAsync(string name, string key, long after, int limit) =>
        [.. (await ledger.ReadAsync(name, key, after, limit)).Select(r => new LedgerRecord(r.Position, r.Payload))];

    public Task WriteSnapshotAsync(string name, string key, LedgerRecord snapshot) =>
        ledger.WriteSnapshotAsync(name, key, snapshot.Position, snapshot.Payload);

    public async Task<LedgerRecord?> ReadSnapshotAsync(string name, string key) =>
        await ledger.ReadSnapshotAsync(name, key) is { } s ? new LedgerRecord(s.Position, s.Payload) : null;
}
