using Microsoft.Data.Sqlite;

namespace Live.Storage;

/// <summary>
/// Append-only logs in the embedded database, beside the grain state: table <c>ledger_entry</c> (one row per entry,
/// in the order entries were appended, with a unique index on log and position) and <c>ledger_snapshot</c> (one row
/// per log). Appends and snapshots go through the grain storage's single writer (<see cref="SqliteGrainStorage"/>),
/// so they are durable when their task completes (WAL, synchronous=FULL) and share fsyncs with the grain-state writes
/// of the same moment; reads take connections of their own. Knows nothing of what the entries are: the host adapts it
/// to the grains' ledger store.
/// </summary>
public sealed class SqliteLedger(SqliteGrainStorage storage)
{
    private long _appends;
    private long _appendedBytes;
    private long _appendedEntries;

    /// <summary>Appends made since the start, and the payload bytes and entries they carried (for the figures).</summary>
    public (long Appends, long Bytes, long Entries) Appended =>
        (Interlocked.Read(ref _appends), Interlocked.Read(ref _appendedBytes), Interlocked.Read(ref _appendedEntries));

    /// <summary>
    /// Appends at <paramref name="expectedLength"/> + 1 onward in one transaction; an
    /// <see cref="Orleans.Storage.InconsistentStateException"/> (nothing appended) when the log is at another length.
    /// Each of <paramref name="atEnd"/> lands at the end of its own log in the same transaction, whatever its length.
    /// </summary>
    public async Task AppendAsync(
        string name, string key, long expectedLength, IReadOnlyList<byte[]> entries, IReadOnlyList<(string Name, string Key, byte[] Entry)>? atEnd = null)
    {
        atEnd ??= [];
        if (entries.Count == 0 && atEnd.Count == 0)
        {
            return;
        }

        // Queued for the storage's writer thread: the grain's turn is not held through the fsync, so decisions made
        // meanwhile join the next append (the grain's group commit).
        var append = new LedgerAppend(name, key, expectedLength, entries, atEnd);
        await storage.EnqueueAsync(append);
        Interlocked.Increment(ref _appends);
        Interlocked.Add(ref _appendedEntries, entries.Count + atEnd.Count);
        Interlocked.Add(ref _appendedBytes, entries.Sum(e => (long)e.Length) + atEnd.Sum(e => (long)e.Entry.Length));
    }

    public async Task<IReadOnlyList<(long Position, byte[] Payload)>> ReadAsync(string name, string key, long after, int limit)
    {
        await using var connection = new SqliteConnection(storage.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT position, payload FROM ledger_entry WHERE name = $name AND key = $key AND position > $after ORDER BY position LIMIT $limit;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync();
        var page = new List<(long, byte[])>();
        while (await reader.ReadAsync())
        {
            page.Add((reader.GetInt64(0), (byte[])reader.GetValue(1)));
        }

        return page;
    }

    public Task WriteSnapshotAsync(string name, string key, long position, byte[] payload)
    {
        var write = new LedgerSnapshotWrite(name, key, position, payload);
        return storage.EnqueueAsync(write);
    }

    public async Task<(long Position, byte[] Payload)?> ReadSnapshotAsync(string name, string key)
    {
        await using var connection = new SqliteConnection(storage.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT position, payload FROM ledger_snapshot WHERE name = $name AND key = $key;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$key", key);
        await using var reader = await command.ExecuteReaderAsync();
        return await reader.ReadAsync() ? (reader.GetInt64(0), (byte[])reader.GetValue(1)) : null;
    }
}
