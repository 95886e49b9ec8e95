using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Live.Storage;

/// <summary>
/// Orleans' reminder table in the embedded database (<c>Cluster:Storage=Sqlite</c>), table <c>reminder</c> beside the
/// grain state: a reminder registered there survives a SIGKILL of the server and fires after its restart, which the
/// in-memory table of Orleans (for tests and throwaway runs) cannot do. Writes go through the grain storage's single
/// writer (<see cref="SqliteGrainStorage"/>), so they are on disk when answered and share its fsyncs; reads take
/// connections of their own. Written here because Orleans ships reminder tables for SQL servers, Redis and cloud
/// stores, none for SQLite.
/// </summary>
/// <remarks>
/// An ETag is the row's version, counted from 1 by every upsert; a removal at another version removes nothing (as in
/// Orleans' own tables). Hash ranges are Orleans' ring ranges: (begin, end], wrapping when begin is not below end.
/// </remarks>
public sealed class SqliteReminderTable(SqliteGrainStorage storage) : IReminderTable
{
    private const string Columns = "grain_id, name, start_at, period, version";

    public async Task<ReminderTableData> ReadRows(GrainId grainId) =>
        new(await QueryAsync($"SELECT {Columns} FROM reminder WHERE grain_id = $grain;", ("$grain", grainId.ToString())));

    public async Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        var sql = begin < end
            ? $"SELECT {Columns} FROM reminder WHERE grain_hash > $begin AND grain_hash <= $end;"
            : $"SELECT {Columns} FROM reminder WHERE grain_hash > $begin OR grain_hash <= $end;";
        return new(await QueryAsync(sql, ("$begin", (long)begin), ("$end", (long)end)));
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        (await QueryAsync($"SELECT {Columns} FROM reminder WHERE grain_id = $grain AND name = $name;", ("$grain", grainId.ToString()), ("$name", reminderName)))
        .SingleOrDefault();

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var startAt = DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc);
        var version = await storage.EnqueueAsync(ReminderWork.Upsert(
            entry.GrainId.ToString(), entry.ReminderName, entry.GrainId.GetUniformHashCode(), startAt, entry.Period));
        return version!.Value.ToString(CultureInfo.InvariantCulture);
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        if (!long.TryParse(eTag, NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            return false;
        }

        return await storage.EnqueueAsync(ReminderWork.Remove(grainId.ToString(), reminderName, version)) == 1;
    }

    public Task TestOnlyClearTable() => storage.EnqueueAsync(ReminderWork.Clear());

    private async Task<List<ReminderEntry>> QueryAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(storage.ConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<ReminderEntry>();
        while (await reader.ReadAsync())
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = reader.GetInt64(4).ToString(CultureInfo.InvariantCulture),
            });
        }

        return entries;
    }
}
