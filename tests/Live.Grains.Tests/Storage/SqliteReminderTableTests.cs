using Live.Grains.Tests.Infrastructure;
using Live.Storage;

namespace Live.Grains.Tests.Storage;

/// <summary>The embedded default's reminder table: rows in the grain storage's SQLite file, written by its writer.</summary>
public sealed class SqliteReminderTableTests : IAsyncDisposable
{
    private static readonly DateTime Start = new(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    private readonly SqliteFolder _folder = new("reminders");

    public ValueTask DisposeAsync() => _folder.DisposeAsync();

    [Fact]
    public async Task AReminderIsReadBackAfterAReopenAndAnUpsertMovesItAndItsVersion()
    {
        var (storage, table) = await OpenAsync();
        var sale = GrainId.Create("flashsale", "s1");
        var first = await table.UpsertRow(Entry(sale, "compact-answers", Start.AddHours(1), TimeSpan.FromHours(24)));
        var moved = await table.UpsertRow(Entry(sale, "compact-answers", Start.AddHours(2), TimeSpan.FromHours(24)));
        await table.UpsertRow(Entry(sale, "other", Start, TimeSpan.FromMinutes(5)));
        await table.UpsertRow(Entry(GrainId.Create("flashsale", "s2"), "compact-answers", Start, TimeSpan.FromMinutes(5)));
        Assert.NotEqual(first, moved);
        await storage.DisposeAsync();

        // On disk: a reopened file (the server after a SIGKILL) has the reminder where the last upsert put it.
        var (_, reopened) = await OpenAsync();
        var row = await reopened.ReadRow(sale, "compact-answers");
        Assert.NotNull(row);
        Assert.Equal((sale, "compact-answers", Start.AddHours(2), TimeSpan.FromHours(24), moved), (row.GrainId, row.ReminderName, row.StartAt, row.Period, row.ETag));
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.Equal(["compact-answers", "other"], (await reopened.ReadRows(sale)).Reminders.Select(r => r.ReminderName).Order());
        Assert.Null(await reopened.ReadRow(sale, "none"));
    }

    [Fact]
    public async Task ARemovalAtAnOlderVersionRemovesNothing()
    {
        var (_, table) = await OpenAsync();
        var sale = GrainId.Create("flashsale", "s1");
        var first = await table.UpsertRow(Entry(sale, "r", Start, TimeSpan.FromMinutes(1)));
        var second = await table.UpsertRow(Entry(sale, "r", Start.AddMinutes(1), TimeSpan.FromMinutes(1)));

        Assert.False(await table.RemoveRow(sale, "r", first!));
        Assert.False(await table.RemoveRow(sale, "r", "not-a-version"));
        Assert.NotNull(await table.ReadRow(sale, "r"));
        Assert.True(await table.RemoveRow(sale, "r", second!));
        Assert.Null(await table.ReadRow(sale, "r"));
        Assert.False(await table.RemoveRow(sale, "r", second!));
    }

    [Fact]
    public async Task ARangeReadAnswersTheRowsWhoseHashIsInTheRingRangeIncludingOneThatWraps()
    {
        var (_, table) = await OpenAsync();
        var grains = Enumerable.Range(0, 40).Select(i => GrainId.Create("flashsale", $"s{i}")).ToArray();
        foreach (var grain in grains)
        {
            await table.UpsertRow(Entry(grain, "r", Start, TimeSpan.FromMinutes(1)));
        }

        var hashes = grains.Select(g => g.GetUniformHashCode()).Order().ToArray();
        var begin = hashes[10];
        var end = hashes[30];

        // (begin, end]: the 11th hash is out, the 31st in.
        Assert.Equal(
            grains.Where(g => g.GetUniformHashCode() > begin && g.GetUniformHashCode() <= end).Select(g => g.ToString()).Order(),
            (await table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId.ToString()).Order());
        Assert.Equal(20, (await table.ReadRows(begin, end)).Reminders.Count);

        // Wrapping past the top of the ring: (end, begin] the other way round holds everything else.
        Assert.Equal(20, (await table.ReadRows(end, begin)).Reminders.Count);

        // begin == end is the whole ring (a single silo's range).
        Assert.Equal(40, (await table.ReadRows(begin, begin)).Reminders.Count);

        await table.TestOnlyClearTable();
        Assert.Empty((await table.ReadRows(0, 0)).Reminders);
    }

    private static ReminderEntry Entry(GrainId grain, string name, DateTime startAt, TimeSpan period) =>
        new() { GrainId = grain, ReminderName = name, StartAt = startAt, Period = period };

    private async Task<(SqliteGrainStorage Storage, SqliteReminderTable Table)> OpenAsync()
    {
        var storage = await _folder.OpenAsync();
        return (storage, new SqliteReminderTable(storage));
    }
}
