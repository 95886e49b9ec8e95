using Live.Grains.Ledger;
using Live.Grains.Tests.Infrastructure;
using Live.Hosting;
using Live.Storage;
using Live.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace Live.Grains.Tests.Storage;

/// <summary>The embedded default's ledger store: tables of their own in the grain storage's SQLite file.</summary>
public sealed class SqliteLedgerTests : IAsyncDisposable
{
    private readonly SqliteFolder _folder = new("ledger");

    public ValueTask DisposeAsync() => _folder.DisposeAsync();

    [Fact]
    public async Task AppendsAreReadBackInOrderInPagesAfterAReopen()
    {
        var (storage, ledger) = await OpenAsync();
        await ledger.AppendAsync("sale", "s1", 0, [[1], [2, 2]]);
        await ledger.AppendAsync("sale", "s1", 2, [[3, 3, 3]]);
        await ledger.AppendAsync("sale", "s2", 0, [[9]]);
        await storage.DisposeAsync();

        var (_, reopened) = await OpenAsync();
        var first = await reopened.ReadAsync("sale", "s1", 0, 2);
        var rest = await reopened.ReadAsync("sale", "s1", 2, 10);

        Assert.Equal([1L, 2L], first.Select(r => r.Position));
        Assert.Equal([[1], [2, 2]], first.Select(r => r.Payload));
        var third = Assert.Single(rest);
        Assert.Equal(3L, third.Position);
        Assert.Equal([3, 3, 3], third.Payload);
        Assert.Empty(await reopened.ReadAsync("sale", "s1", 3, 10));
        Assert.Single(await reopened.ReadAsync("sale", "s2", 0, 10));
    }

    [Fact]
    public async Task AnAppendAtTheWrongLengthIsAConflictAndAppendsNothing()
    {
        var (_, ledger) = await OpenAsync();
        await ledger.AppendAsync("sale", "s1", 0, [[1], [2]]);

        var stale = await Assert.ThrowsAsync<LedgerConflictException>(() => ledger.AppendAsync("sale", "s1", 1, [[7], [8]]));
        var ahead = await Assert.ThrowsAsync<LedgerConflictException>(() => ledger.AppendAsync("sale", "s1", 3, [[7]]));

        Assert.Equal((1L, 2L), (stale.Expected, stale.Actual));
        Assert.Equal((3L, 2L), (ahead.Expected, ahead.Actual));
        Assert.Equal([1L, 2L], (await ledger.ReadAsync("sale", "s1", 0, 10)).Select(r => r.Position));
    }

    [Fact]
    public async Task AnAppendPutsEntriesAtTheEndOfOtherLogsInTheSameTransaction()
    {
        var (storage, ledger) = await OpenAsync();
        await LedgerStoreChecks.AppendsAtTheEndOfOtherLogsInTheSameWriteAsync(ledger, "");
        await storage.DisposeAsync();

        // On disk, not in a cache: a reopened file has the same logs.
        var (_, reopened) = await OpenAsync();
        Assert.Equal([1L, 2L, 3L], (await reopened.ReadAsync("orders", "a", 0, 10)).Select(r => r.Position));
        Assert.Equal([[3], [5]], (await reopened.ReadAsync("orders", "b", 0, 10)).Select(r => r.Payload));
    }

    [Fact]
    public async Task ASnapshotIsReplacedAndKeptBesideTheGrainState()
    {
        var (storage, ledger) = await OpenAsync();
        Assert.Null(await ledger.ReadSnapshotAsync("sale", "s1"));
        await ledger.WriteSnapshotAsync("sale", "s1", new LedgerRecord(10, [1, 2]));
        await ledger.WriteSnapshotAsync("sale", "s1", new LedgerRecord(20, [3]));
        var grain = GrainId.Create("order-book", "buyer-1");
        await storage.WriteStateAsync("orders", grain, new GrainState<List<string>>(["order-1"]));
        await storage.DisposeAsync();

        var (reopened, ledgerAgain) = await OpenAsync();
        var snapshot = await ledgerAgain.ReadSnapshotAsync("sale", "s1");
        var state = new GrainState<List<string>>();
        await reopened.ReadStateAsync("orders", grain, state);

        Assert.Equal(20L, snapshot!.Value.Position);
        Assert.Equal([3], snapshot.Value.Payload);
        Assert.Equal(["order-1"], state.State);
    }

    [Fact]
    public async Task ASnapshotBiggerThanAPageIsWrittenInPagesAndReadBackWholeAndReplacingItDeletesThem()
    {
        var (storage, ledger) = await OpenAsync(pageBytes: 100);
        var first = Bytes(1050, seed: 1);
        await ledger.WriteSnapshotAsync("sale", "s1", new LedgerRecord(10, first));
        Assert.Equal(11, PageRows(storage));

        // Again at the same position (a compaction's snapshot): the new pages, and only those, are kept.
        var second = Bytes(999, seed: 2);
        await ledger.WriteSnapshotAsync("sale", "s1", new LedgerRecord(10, second));
        Assert.Equal(10, PageRows(storage));
        var read = await ledger.ReadSnapshotAsync("sale", "s1");
        Assert.Equal(10L, read!.Value.Position);
        Assert.Equal(second, read.Value.Payload);

        await ledger.WriteSnapshotAsync("sale", "s1", new LedgerRecord(12, [7, 8]));
        Assert.Equal(0, PageRows(storage));
        await storage.DisposeAsync();

        var (_, reopened) = await OpenAsync(pageBytes: 100);
        var small = await reopened.ReadSnapshotAsync("sale", "s1");
        Assert.Equal(12L, small!.Value.Position);
        Assert.Equal(new byte[] { 7, 8 }, small.Value.Payload);
    }

    [Fact]
    public async Task APagedSnapshotThatNeverFinishedLeavesThePreviousOneReadAndOneWhosePagesWereReplacedMakesNothingCurrent()
    {
        var (storage, ledger) = await OpenAsync(pageBytes: 100);
        var current = Bytes(350, seed: 3);
        await ledger.WriteSnapshotAsync("sale", "s1", new LedgerRecord(20, current));

        // The pages of a snapshot whose last write never came (the process died between them).
        await storage.EnqueueAsync(new LedgerSnapshotPage("sale", "s1", generation: 42, page: 0, Bytes(100, seed: 4)));
        await storage.EnqueueAsync(new LedgerSnapshotPage("sale", "s1", generation: 42, page: 1, Bytes(100, seed: 5)));
        await storage.DisposeAsync();

        var (reopened, ledgerAgain) = await OpenAsync(pageBytes: 100);
        var read = await ledgerAgain.ReadSnapshotAsync("sale", "s1");
        Assert.Equal(20L, read!.Value.Position);
        Assert.Equal(current, read.Value.Payload);
        Assert.Equal(6, PageRows(reopened));

        await ledgerAgain.WriteSnapshotAsync("sale", "s1", new LedgerRecord(30, Bytes(150, seed: 6)));
        Assert.Equal(2, PageRows(reopened));

        // A writer whose pages another snapshot deleted meanwhile (a second activation) makes nothing current.
        await reopened.EnqueueAsync(new LedgerSnapshotPage("sale", "s1", generation: 43, page: 0, Bytes(100, seed: 9)));
        await ledgerAgain.WriteSnapshotAsync("sale", "s1", new LedgerRecord(31, Bytes(250, seed: 10)));
        await Assert.ThrowsAsync<InconsistentStateException>(() => reopened.EnqueueAsync(new LedgerSnapshotWrite("sale", "s1", 32, [], pages: 2, generation: 43)));
        var kept = await ledgerAgain.ReadSnapshotAsync("sale", "s1");
        Assert.Equal(31L, kept!.Value.Position);
        Assert.Equal(250, kept.Value.Payload.Length);
    }

    [Fact]
    public async Task AnAppendQueuedWhileAPagedSnapshotIsWrittenIsCommittedBetweenItsPagesNotAfterThem()
    {
        var (_, ledger) = await OpenAsync(pageBytes: 100);

        // 300 pages, each its own commit (and fsync); the append queued after the first is committed with one of the
        // first, long before the last. Written in one piece, the snapshot would be committed first.
        var snapshot = ledger.WriteSnapshotAsync("sale", "big", new LedgerRecord(1, Bytes(30_000, seed: 7)));
        var append = ledger.AppendAsync("sale", "other", 0, [[1]]);
        await append;

        Assert.False(snapshot.IsCompleted, "the append waited for the whole snapshot");
        await snapshot;
        Assert.Equal(30_000, (await ledger.ReadSnapshotAsync("sale", "big"))!.Value.Payload.Length);
    }

    [Fact]
    public async Task ASnapshotTableOfAnEarlierBuildGetsThePageColumnsAndItsSnapshotsReadAsBefore()
    {
        Directory.CreateDirectory(_folder.Path);
        using (var old = new SqliteConnection($"Data Source={_folder.DatabasePath};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE ledger_snapshot (name TEXT NOT NULL, key TEXT NOT NULL, position INTEGER NOT NULL, payload BLOB NOT NULL,
                    PRIMARY KEY (name, key));
                INSERT INTO ledger_snapshot VALUES ('sale', 's1', 5, x'0102');
                """;
            create.ExecuteNonQuery();
        }

        var (_, ledger) = await OpenAsync(pageBytes: 100);
        var read = await ledger.ReadSnapshotAsync("sale", "s1");
        Assert.Equal(5L, read!.Value.Position);
        Assert.Equal(new byte[] { 1, 2 }, read.Value.Payload);

        var paged = Bytes(250, seed: 8);
        await ledger.WriteSnapshotAsync("sale", "s1", new LedgerRecord(9, paged));
        Assert.Equal(paged, (await ledger.ReadSnapshotAsync("sale", "s1"))!.Value.Payload);
    }

    [Fact]
    public async Task TheStoreCountsWhatItAppends()
    {
        var (_, ledger) = await OpenAsync();
        await ledger.AppendAsync("sale", "s1", 0, [new byte[10], new byte[20]]);
        await ledger.AppendAsync("sale", "s1", 2, [new byte[5]]);

        Assert.Equal((2L, 35L, 3L), ((SqliteLedgerStore)ledger).Ledger.Appended);
    }

    [Fact]
    public async Task AFileOfAnEarlierBuildHasItsLedgerMovedToAppendOrderOnceWithEveryEntry()
    {
        // The table as earlier builds made it: rows ordered by (log, position), no rowid.
        Directory.CreateDirectory(_folder.Path);
        var path = _folder.DatabasePath;
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var create = old.CreateCommand();
            create.CommandText = """
                CREATE TABLE ledger_entry (name TEXT NOT NULL, key TEXT NOT NULL, position INTEGER NOT NULL, payload BLOB NOT NULL,
                    PRIMARY KEY (name, key, position)) WITHOUT ROWID;
                INSERT INTO ledger_entry VALUES ('orders', 'a', 2, x'0A02'), ('sale', 's1', 1, x'01'), ('orders', 'a', 1, x'0A01'),
                    ('sale', 's1', 3, x'03'), ('sale', 's1', 2, x'02');
                """;
            create.ExecuteNonQuery();
        }

        var (storage, ledger) = await OpenAsync();

        Assert.DoesNotContain("WITHOUT ROWID", TableSql(path), StringComparison.OrdinalIgnoreCase);
        Assert.Equal([[1], [2], [3]], (await ledger.ReadAsync("sale", "s1", 0, 10)).Select(r => r.Payload));
        Assert.Equal([1L, 2L], (await ledger.ReadAsync("orders", "a", 0, 10)).Select(r => r.Position));
        await Assert.ThrowsAsync<LedgerConflictException>(() => ledger.AppendAsync("sale", "s1", 2, [[9]]));
        await ledger.AppendAsync("sale", "s1", 3, [[4]], [new LedgerTailEntry("orders", "a", [0x0A, 3])]);
        await storage.DisposeAsync();

        // Opened again: nothing left to move, nothing moved twice.
        var (_, reopened) = await OpenAsync();
        Assert.Equal([1L, 2L, 3L, 4L], (await reopened.ReadAsync("sale", "s1", 0, 10)).Select(r => r.Position));
        Assert.Equal([[0x0A, 1], [0x0A, 2], [0x0A, 3]], (await reopened.ReadAsync("orders", "a", 0, 10)).Select(r => r.Payload));
    }

    private static string TableSql(string path)
    {
        using var connection = new SqliteConnection($"Data Source={path};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ledger_entry';";
        return (string)command.ExecuteScalar()!;
    }

    private async Task<(SqliteGrainStorage Storage, ILedgerStore Ledger)> OpenAsync(int pageBytes = 1 << 20)
    {
        var storage = await _folder.OpenAsync(new SqliteGrainStorageOptions { SnapshotPageBytes = pageBytes });
        return (storage, new SqliteLedgerStore(new SqliteLedger(storage)));
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static long PageRows(SqliteGrainStorage storage)
    {
        using var connection = new SqliteConnection(storage.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM ledger_snapshot_page;";
        return (long)command.ExecuteScalar()!;
    }
}
