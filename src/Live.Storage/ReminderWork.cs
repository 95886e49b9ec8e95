using System.Globalization;

namespace Live.Storage;

/// <summary>
/// A write to the reminder table (<see cref="SqliteReminderTable"/>), made by the storage's writer in its batch's
/// transaction like any grain-state write, so it is on disk when its task completes.
/// </summary>
internal sealed class ReminderWork(Func<WriteCommands, long?> apply) : PendingWork
{
    private long? _result;

    public override Exception? Conflict => null;

    public override void Apply(WriteCommands commands) => _result = apply(commands);

    public override void Complete() => Done.TrySetResult(_result);

    /// <summary>Inserts or replaces a reminder: its new version.</summary>
    public static ReminderWork Upsert(string grainId, string name, uint grainHash, DateTime startAt, TimeSpan period) => new(commands =>
    {
        using var command = commands.Command("""
            INSERT INTO reminder (grain_id, name, grain_hash, start_at, period, version)
            VALUES ($grain, $name, $hash, $start, $period, 1)
            ON CONFLICT (grain_id, name) DO UPDATE SET
                grain_hash = excluded.grain_hash, start_at = excluded.start_at, period = excluded.period, version = version + 1
            RETURNING version;
            """);
        command.Parameters.AddWithValue("$grain", grainId);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$hash", (long)grainHash);
        command.Parameters.AddWithValue("$start", startAt.Ticks);
        command.Parameters.AddWithValue("$period", period.Ticks);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    });

    /// <summary>Deletes a reminder at that version: 1 when it did, 0 when the row is gone or at another version.</summary>
    public static ReminderWork Remove(string grainId, string name, long version) => new(commands =>
    {
        using var command = commands.Command("DELETE FROM reminder WHERE grain_id = $grain AND name = $name AND version = $version;");
        command.Parameters.AddWithValue("$grain", grainId);
        command.Parameters.AddWithValue("$name", name);
        command.Parameters.AddWithValue("$version", version);
        return command.ExecuteNonQuery();
    });

    public static ReminderWork Clear() => new(commands =>
    {
        using var command = commands.Command("DELETE FROM reminder;");
        return command.ExecuteNonQuery();
    });
}
