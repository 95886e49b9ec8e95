using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Live.Storage;

/// <summary>The writer connection's statements, prepared once and reused for every write.</summary>
internal sealed class WriteCommands : IDisposable
{
    private readonly SqliteCommand _insert;
    private readonly SqliteCommand _update;
    private readonly SqliteCommand _delete;
    private readonly SqliteCommand _exists;
    private readonly SqliteCommand _ledgerLength;
    private readonly SqliteCommand _ledgerInsert;
    private readonly SqliteCommand _ledgerInsertAtEnd;
    private readonly SqliteCommand _snapshotUpsert;
    private readonly SqliteCommand _snapshotPagesDelete;
    private readonly SqliteCommand _snapshotPageInsert;
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _transaction;

    public WriteCommands(SqliteConnection connection)
    {
        _connection = connection;
        _insert = Create(connection, "INSERT INTO grain_state (state_name, grain_id, version, payload) VALUES ($state, $grain, 1, $payload) ON CONFLICT DO NOTHING;", withPayload: true);
        _update = Create(connection, "UPDATE grain_state SET version = version + 1, payload = $payload WHERE state_name = $state AND grain_id = $grain AND version = $version;", withPayload: true, withVersion: true);
        _delete = Create(connection, "DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain AND version = $version;", withVersion: true);
        _exists = Create(connection, "SELECT EXISTS (SELECT 1 FROM grain_state WHERE state_name = $state AND grain_id = $grain);");
        _ledgerLength = CreateLedger(connection, "SELECT COALESCE(MAX(position), 0) FROM ledger_entry WHERE name = $name AND key = $key;");
        _ledgerInsert = CreateLedger(connection, "INSERT INTO ledger_entry (name, key, position, payload) VALUES ($name, $key, $position, $payload);", withEntry: true);
        _ledgerInsertAtEnd = CreateLedger(connection, "INSERT INTO ledger_entry (name, key, position, payload) SELECT $name, $key, COALESCE(MAX(position), 0) + 1, $payload FROM ledger_entry WHERE name = $name AND key = $key;");
        _ledgerInsertAtEnd.Parameters.Add("$payload", SqliteType.Blob);
        _snapshotUpsert = CreateLedger(connection, "INSERT INTO ledger_snapshot (name, key, position, payload, pages, generation) VALUES ($name, $key, $position, $payload, $pages, $generation) ON CONFLICT (name, key) DO UPDATE SET position = excluded.position, payload = excluded.payload, pages = excluded.pages, generation = excluded.generation;", withEntry: true);
        _snapshotUpsert.Parameters.Add("$pages", SqliteType.Integer);
        _snapshotUpsert.Parameters.Add("$generation", SqliteType.Integer);
        _snapshotPagesDelete = CreateLedger(connection, "DELETE FROM ledger_snapshot_page WHERE name = $name AND key = $key AND generation <> $generation;");
        _snapshotPagesDelete.Parameters.Add("$generation", SqliteType.Integer);
        _snapshotPageInsert = CreateLedger(connection, "INSERT OR REPLACE INTO ledger_snapshot_page (name, key, generation, page, payload) VALUES ($name, $key, $generation, $page, $payload);");
        _snapshotPageInsert.Parameters.Add("$generation", SqliteType.Integer);
        _snapshotPageInsert.Parameters.Add("$page", SqliteType.Integer);
        _snapshotPageInsert.Parameters.Add("$payload", SqliteType.Blob);
    }

    public void Enlist(SqliteTransaction transaction)
    {
        _transaction = transaction;
        _insert.Transaction = _update.Transaction = _delete.Transaction = _exists.Transaction = transaction;
        _ledgerLength.Transaction = _ledgerInsert.Transaction = _ledgerInsertAtEnd.Transaction = transaction;
        _snapshotUpsert.Transaction = _snapshotPagesDelete.Transaction = _snapshotPageInsert.Transaction = transaction;
    }

    /// <summary>
    /// A statement of its own inside the current transaction, for rare writes that need no prepared statement (the
    /// reminder table's); the caller disposes it.
    /// </summary>
    public SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = _transaction;
        return command;
    }

    /// <summary>The ledger's last position (0 when empty), inside the current transaction.</summary>
    public long LedgerLength(string name, string key)
    {
        _ledgerLength.Parameters["$name"].Value = name;
        _ledgerLength.Parameters["$key"].Value = key;
        return Convert.ToInt64(_ledgerLength.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    public void LedgerInsert(string name, string key, long position, byte[] payload) =>
        RunLedger(_ledgerInsert, name, key, position, payload);

    /// <summary>Inserts <paramref name="payload"/> at the ledger's next position (1 when empty), in one statement.</summary>
    public void LedgerInsertAtEnd(string name, string key, byte[] payload)
    {
        _ledgerInsertAtEnd.Parameters["$name"].Value = name;
        _ledgerInsertAtEnd.Parameters["$key"].Value = key;
        _ledgerInsertAtEnd.Parameters["$payload"].Value = payload;
        _ledgerInsertAtEnd.ExecuteNonQuery();
    }

    /// <summary>
    /// Makes (<paramref name="position"/>, <paramref name="payload"/>) the ledger's snapshot, or, with
    /// <paramref name="pages"/> above 0, the pages of <paramref name="generation"/> written before it; and deletes
    /// every page of another generation (those of the snapshot replaced, and of a paged write that never finished).
    /// </summary>
    public void SnapshotUpsert(string name, string key, long position, byte[] payload, int pages, long generation)
    {
        _snapshotUpsert.Parameters["$pages"].Value = pages;
        _snapshotUpsert.Parameters["$generation"].Value = generation;
        RunLedger(_snapshotUpsert, name, key, position, payload);
        _snapshotPagesDelete.Parameters["$name"].Value = name;
        _snapshotPagesDelete.Parameters["$key"].Value = key;
        _snapshotPagesDelete.Parameters["$generation"].Value = generation;
        _snapshotPagesDelete.ExecuteNonQuery();
    }

    /// <summary>How many pages of <paramref name="generation"/> the ledger's snapshot pages hold.</summary>
    public long SnapshotPageCount(string name, string key, long generation)
    {
        using var command = Command("SELECT COUNT(*) FROM ledger_snapshot_page WHERE name = $name AND key = $key AND generation = $generation;");
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$key", key);
        command.Parameters.AddWithValue("$generation", generation);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>One page of a snapshot being written: nothing reads it before its <see cref="SnapshotUpsert"/>.</summary>
    public void SnapshotPageInsert(string name, string key, long generation, int page, byte[] payload)
    {
        _snapshotPageInsert.Parameters["$name"].Value = name;
        _snapshotPageInsert.Parameters["$key"].Value = key;
        _snapshotPageInsert.Parameters["$generation"].Value = generation;
        _snapshotPageInsert.Parameters["$page"].Value = page;
        _snapshotPageInsert.Parameters["$payload"].Value = payload;
        _snapshotPageInsert.ExecuteNonQuery();
    }

    /// <summary>Applies one write inside the current transaction: its new version (null once deleted), or a conflict.</summary>
    public (long? Version, bool Conflict) Apply(PendingWrite write)
    {
        long? expected = null;
        if (write.ETag is not null)
        {
            if (!long.TryParse(write.ETag, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return (null, true);
            }

            expected = parsed;
        }

        if (write.Payload is { } payload)
        {
            return expected is { } version
                ? Run(_update, write, payload, version) == 1 ? (version + 1, false) : (null, true)
                : Run(_insert, write, payload, null) == 1 ? (1, false) : (null, true);
        }

        if (expected is { } current)
        {
            return Run(_delete, write, null, current) == 1 ? (null, false) : (null, true);
        }

        // Clearing what the grain believes is not there: a conflict only if it is there after all.
        Bind(_exists, write, null, null);
        return (null, Convert.ToInt64(_exists.ExecuteScalar(), CultureInfo.InvariantCulture) != 0);
    }

    public void Dispose()
    {
        _insert.Dispose();
        _update.Dispose();
        _delete.Dispose();
        _exists.Dispose();
        _ledgerLength.Dispose();
        _ledgerInsert.Dispose();
        _ledgerInsertAtEnd.Dispose();
        _snapshotUpsert.Dispose();
        _snapshotPagesDelete.Dispose();
        _snapshotPageInsert.Dispose();
    }

    private static void RunLedger(SqliteCommand command, string name, string key, long position, byte[] payload)
    {
        command.Parameters["$name"].Value = name;
        command.Parameters["$key"].Value = key;
        command.Parameters["$position"].Value = position;
        command.Parameters["$payload"].Value = payload;
        command.ExecuteNonQuery();
    }

    private static SqliteCommand CreateLedger(SqliteConnection connection, string sql, bool withEntry = false)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add("$name", SqliteType.Text);
        command.Parameters.Add("$key", SqliteType.Text);
        if (withEntry)
        {
            command.Parameters.Add("$position", SqliteType.Integer);
            command.Parameters.Add("$payload", SqliteType.Blob);
        }

        return command;
    }

    private static int Run(SqliteCommand command, PendingWrite write, byte[]? payload, long? version)
    {
        Bind(command, write, payload, version);
        return command.ExecuteNonQuery();
    }

    private static void Bind(SqliteCommand command, PendingWrite write, byte[]? payload, long? version)
    {
        command.Parameters["$state"].Value = write.StateName;
        command.Parameters["$grain"].Value = write.GrainId;
        if (payload is not null)
        {
            command.Parameters["$payload"].Value = payload;
        }

        if (version is { } v)
        {
            command.Parameters["$version"].Value = v;
        }
    }

    private static SqliteCommand Create(SqliteConnection connection, string sql, bool withPayload = false, bool withVersion = false)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.Add("$state", SqliteType.Text);
        command.Parameters.Add("$grain", SqliteType.Text);
        if (withPayload)
        {
            command.Parameters.Add("$payload", SqliteType.Blob);
        }

        if (withVersion)
        {
            command.Parameters.Add("$version", SqliteType.Integer);
        }

        return command;
    }
}
