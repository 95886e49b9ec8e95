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
/// <remarks>
/// A snapshot bigger than <see cref="SnapshotPageBytes"/> is written in pages, each committed on its own through the
/// writer, and made the snapshot by a last small write: the writer commits the other grains' writes between the
/// pages, so a sale's snapshot of tens of megabytes no longer holds every write of the server behind it for its whole
/// commit (a quarter to half a second at 35–51 MB, docs/PERF.md §37–§39). Until that last write the previous snapshot
/// is the one read; the pages of a write that never finished are deleted by the next snapshot.
/// </remarks>
public sealed class SqliteLedger(SqliteGrainStorage storage)
{
    /// <summary>The largest snapshot written in one piece (<see cref="SqliteGrainStorageOptions.SnapshotPageBytes"/>).</summary>
    public int SnapshotPageBytes => storage.Options.SnapshotPageBytes;

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

    /// <summary>Replaces the ledger's snapshot; in pages of <see cref="SnapshotPageBytes"/> when it is bigger.</summary>
    public async Task WriteSnapshotAsync(string name, string key, long position, byte[] payload)
    {
        if (payload.Length <= SnapshotPageBytes)
        {
            await storage.EnqueueAsync(new LedgerSnapshotWrite(name, key, position, payload));
            return;
        }

        // A generation of its own, not the position: a snapshot taken again at the same position (after a compaction)
        // must not overwrite the pages the current one is read from.
        var generation = Random.Shared.NextInt64(1, long.MaxValue);
        var pages = (int)((payload.Length + (long)SnapshotPageBytes - 1) / SnapshotPageBytes);
        for (var page = 0; page < pages; page++)
        {
            var offset = page * SnapshotPageBytes;
            var slice = payload.AsSpan(offset, Math.Min(SnapshotPageBytes, payload.Length - offset)).ToArray();
            await storage.EnqueueAsync(new LedgerSnapshotPage(name, key, generation, page, slice));
        }

        await storage.EnqueueAsync(new LedgerSnapshotWrite(name, key, position, [], pages, generation));
    }

    /// <summary>The ledger's snapshot (its pages put together), read in one read transaction.</summary>
    public async Task<(long Position, byte[] Payload)?> ReadSnapshotAsync(string name, string key)
    {
        await using var connection = new SqliteConnection(storage.ConnectionString);
        await connection.OpenAsync();

        // Deferred: a read transaction (WAL), so the header and its pages are read as of one commit.
        await using var transaction = connection.BeginTransaction(deferred: true);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT position, payload, pages, generation FROM ledger_snapshot WHERE name = $name AND key = $key;";
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$key", key);
        long position, generation;
        int pages;
        byte[] payload;
        await using (var reader = await command.ExecuteReaderAsync())
        {
            if (!await reader.ReadAsync())
            {
                return null;
            }

            (position, payload, pages, generation) = (reader.GetInt64(0), (byte[])reader.GetValue(1), reader.GetInt32(2), reader.GetInt64(3));
        }

        if (pages == 0)
        {
            return (position, payload);
        }

        command.CommandText = "SELECT payload FROM ledger_snapshot_page WHERE name = $name AND key = $key AND generation = $generation AND page < $pages ORDER BY page;";
        command.Parameters.AddWithValue("$generation", generation);
        command.Parameters.AddWithValue("$pages", pages);
        var parts = new List<byte[]>(pages);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                parts.Add((byte[])reader.GetValue(0));
            }
        }

        if (parts.Count != pages)
        {
            throw new InvalidOperationException($"ledger {name}/{key}: its snapshot at position {position} has {parts.Count} of its {pages} pages");
        }

        var whole = new byte[parts.Sum(p => (long)p.Length)];
        var at = 0;
        foreach (var part in parts)
        {
            part.CopyTo(whole, at);
            at += part.Length;
        }

        return (position, whole);
    }
}
