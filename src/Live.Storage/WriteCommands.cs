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

    public WriteCommands(SqliteConnection connection)
    {
        _insert = Create(connection, "INSERT INTO grain_state (state_name, grain_id, version, payload) VALUES ($state, $grain, 1, $payload) ON CONFLICT DO NOTHING;", withPayload: true);
        _update = Create(connection, "UPDATE grain_state SET version = version + 1, payload = $payload WHERE state_name = $state AND grain_id = $grain AND version = $version;", withPayload: true, withVersion: true);
        _delete = Create(connection, "DELETE FROM grain_state WHERE state_name = $state AND grain_id = $grain AND version = $version;", withVersion: true);
        _exists = Create(connection, "SELECT EXISTS (SELECT 1 FROM grain_state WHERE state_name = $state AND grain_id = $grain);");
    }

    public void Enlist(SqliteTransaction transaction)
    {
        _insert.Transaction = _update.Transaction = _delete.Transaction = _exists.Transaction = transaction;
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
