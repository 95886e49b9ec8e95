using Live.Grains.Tests.Infrastructure;
using Live.Storage;
using Live.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Storage;

namespace Live.Grains.Tests.Storage;

/// <summary>The embedded default's grain storage on a real SQLite file, one file per test.</summary>
public sealed class SqliteGrainStorageTests : IAsyncDisposable
{
    private const string StateName = "orders";

    // The file in a folder the storage must create.
    private readonly SqliteFolder _folder = new("sqlite", Path.Combine("nested", "redlive.db"));

    private string DatabasePath => _folder.DatabasePath;

    public ValueTask DisposeAsync() => _folder.DisposeAsync();

    [Fact]
    public async Task AWrittenStateIsReadBackWithItsVersion()
    {
        var storage = await OpenAsync();
        var grain = GrainId.Create("order-book", "buyer-1");
        var written = State("order-1", "order-2");

        await storage.WriteStateAsync(StateName, grain, written);
        var read = State();
        await storage.ReadStateAsync(StateName, grain, read);

        Assert.Equal("1", written.ETag);
        Assert.True(written.RecordExists);
        Assert.Equal(["order-1", "order-2"], read.State);
        Assert.Equal("1", read.ETag);
        Assert.True(read.RecordExists);
    }

    /// <remarks>
    /// 200 writes of about 8 KB, one commit each, put at least 400 pages of 4 KiB in the log. With no copy beside the
    /// writer, a log of 10,000 pages (the default bound) holds every write, and one of 100 is copied by the writer's
    /// own commits. Every row reads back in each case.
    /// </remarks>
    [Theory]
    [InlineData(10_000, 400, int.MaxValue)]
    [InlineData(100, 0, 300)]
    public async Task WithoutTheCopyBesideTheWriterTheLogIsCopiedAtCheckpointPages(int checkpointPages, int minFrames, int maxFrames)
    {
        var storage = await OpenAsync(checkpointPages: checkpointPages, checkpointInterval: Timeout.InfiniteTimeSpan);
        var payload = await WriteLargeStatesAsync(storage);

        Assert.InRange(await LogFramesAsync(), minFrames, maxFrames);
        Assert.Equal(0, storage.Checkpoints);
        await AssertEveryLargeStateReadsBackAsync(storage, payload);
    }

    /// <remarks>
    /// Looked at every 20 ms, a log that reaches a quarter of <c>CheckpointPages</c> (500 of 2,000 here; the 200 writes
    /// leave about 1,000 frames in it, under the writer's own bound, so the copy is owed whenever the timer comes round,
    /// however late) is copied beside the writer; one that stays below a quarter (of 10,000) is left alone however
    /// often the timer looks, which leaves the writer's fsyncs to themselves while little is written.
    /// </remarks>
    [Theory]
    [InlineData(2_000, true)]
    [InlineData(10_000, false)]
    public async Task TheCopyBesideTheWriterRunsOnceTheLogHoldsAQuarterOfCheckpointPages(int checkpointPages, bool copied)
    {
        var storage = await OpenAsync(checkpointPages: checkpointPages, checkpointInterval: TimeSpan.FromMilliseconds(20));
        var payload = await WriteLargeStatesAsync(storage);

        if (copied)
        {
            await storage.CheckpointsAsync(1).WaitAsync(TimeSpan.FromSeconds(30));
        }
        else
        {
            await Task.Delay(300);
            Assert.Equal(0, storage.Checkpoints);
            Assert.InRange(await LogFramesAsync(), 400, 2_499);
        }

        await AssertEveryLargeStateReadsBackAsync(storage, payload);
    }

    [Fact]
    public async Task WhenTheLogsSizeCannotBeReadTheCopyRunsWheneverSomethingWasCommittedAndSaysSoOnce()
    {
        var storage = await OpenAsync(checkpointInterval: Timeout.InfiniteTimeSpan);
        await storage.WriteStateAsync(StateName, GrainId.Create("order-book", "buyer-1"), State("one"));
        var logs = new LogCapture();
        var connectionString = new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString();

        // The index is looked for beside another path, as when SQLite resolved the database's path otherwise.
        await using var checkpointer = new WalCheckpointer(connectionString, DatabasePath + ".elsewhere", TimeSpan.FromMilliseconds(20), minFrames: 1_000_000, "test", logs.CreateLogger("test"));
        checkpointer.Committed();
        await checkpointer.CheckpointsAsync(1).WaitAsync(TimeSpan.FromSeconds(30));
        checkpointer.Committed();
        await checkpointer.CheckpointsAsync(2).WaitAsync(TimeSpan.FromSeconds(30));

        var warning = Assert.Single(logs.Entries, e => e.EventId.Id == 6008);
        Assert.Equal(LogLevel.Warning, warning.Level);
        Assert.Contains(DatabasePath + ".elsewhere-shm", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACheckpointIntervalThatIsNotPositiveIsRefused()
    {
        var options = new SqliteGrainStorageOptions { DatabasePath = DatabasePath, CheckpointInterval = TimeSpan.Zero };

        Assert.Throws<ArgumentOutOfRangeException>(() => new SqliteGrainStorage("test", options, SqliteFolder.Serializer, NullLogger<SqliteGrainStorage>.Instance));
    }

    [Fact]
    public async Task AGrainNeverWrittenHasNoRecord()
    {
        var storage = await OpenAsync();
        var read = State("untouched");

        await storage.ReadStateAsync(StateName, GrainId.Create("order-book", "nobody"), read);

        Assert.False(read.RecordExists);
        Assert.Null(read.ETag);
        Assert.Equal(["untouched"], read.State);
    }

    [Fact]
    public async Task EachWriteMovesTheVersionOnAndAStaleETagIsRefusedWithoutChangingTheRow()
    {
        var storage = await OpenAsync();
        var grain = GrainId.Create("order-book", "buyer-2");
        var current = State("a");
        await storage.WriteStateAsync(StateName, grain, current);
        var stale = State("stale");
        await storage.ReadStateAsync(StateName, grain, stale);
        current.State = ["a", "b"];
        await storage.WriteStateAsync(StateName, grain, current);

        stale.State = ["stale"];
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, stale));

        var read = State();
        await storage.ReadStateAsync(StateName, grain, read);
        Assert.Equal("2", current.ETag);
        Assert.Equal("1", stale.ETag);
        Assert.Equal(["a", "b"], read.State);
        Assert.Equal("2", read.ETag);
    }

    [Fact]
    public async Task AFirstWriteWhereARowAlreadyExistsIsAConflict()
    {
        var storage = await OpenAsync();
        var grain = GrainId.Create("order-book", "buyer-3");
        await storage.WriteStateAsync(StateName, grain, State("first"));

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync(StateName, grain, State("second")));

        var read = State();
        await storage.ReadStateAsync(StateName, grain, read);
        Assert.Equal(["first"], read.State);
    }

    [Fact]
    public async Task ClearDeletesTheRowAndAClearWithAStaleETagIsRefused()
    {
        var storage = await OpenAsync();
        var grain = GrainId.Create("order-book", "buyer-4");
        var state = State("x");
        await storage.WriteStateAsync(StateName, grain, state);
        var stale = State();
        await storage.ReadStateAsync(StateName, grain, stale);
        await storage.WriteStateAsync(StateName, grain, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grain, stale));
        await storage.ClearStateAsync(StateName, grain, state);

        var read = State();
        await storage.ReadStateAsync(StateName, grain, read);
        Assert.False(read.RecordExists);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, await RowsAsync());
    }

    [Fact]
    public async Task StatesOfOneGrainUnderDifferentNamesAreSeparateRows()
    {
        var storage = await OpenAsync();
        var grain = GrainId.Create("cart", "buyer-5");
        await storage.WriteStateAsync("cart", grain, State("cart"));
        await storage.WriteStateAsync("orders", grain, State("orders"));

        var cart = State();
        var orders = State();
        await storage.ReadStateAsync("cart", grain, cart);
        await storage.ReadStateAsync("orders", grain, orders);

        Assert.Equal(["cart"], cart.State);
        Assert.Equal(["orders"], orders.State);
    }

    [Fact]
    public async Task WhatWasWrittenIsThereAfterTheFileIsClosedAndOpenedAgain()
    {
        var first = await OpenAsync();
        var grain = GrainId.Create("flash-sale", "sale-1");
        var state = State("r1");
        await first.WriteStateAsync(StateName, grain, state);
        state.State = ["r1", "r2"];
        await first.WriteStateAsync(StateName, grain, state);
        await first.DisposeAsync();

        var reopened = await OpenAsync();
        var read = State();
        await reopened.ReadStateAsync(StateName, grain, read);
        read.State = [.. read.State!, "r3"];
        await reopened.WriteStateAsync(StateName, grain, read);

        Assert.Equal(["r1", "r2", "r3"], read.State);
        Assert.Equal("3", read.ETag);
    }

    [Fact]
    public async Task TheFileIsInWalModeInTheFolderItCreated()
    {
        await OpenAsync();

        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";

        Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
    }

    /// <remarks>
    /// Issue 11's promise for the embedded default: a committed purchase survives a power cut. In WAL mode that takes
    /// <c>synchronous=FULL</c> (2) on the connection that commits, which fsyncs the log at every commit; NORMAL (1)
    /// would sync only at checkpoints.
    /// </remarks>
    [Fact]
    public async Task TheWriterCommitsInWalModeWithSynchronousFull()
    {
        var storage = await OpenAsync();
        await storage.WriteStateAsync(StateName, GrainId.Create("order-book", "buyer-1"), State("order-1"));

        Assert.Equal(("wal", 2L), storage.WriterDurability());
    }

    [Theory]
    [InlineData(1024)]
    [InlineData(256)]
    [InlineData(1)]
    public async Task ConcurrentWritesOfManyGrainsAllLandWithTheirOwnVersions(int maxWritesPerCommit)
    {
        const int grains = 200;
        const int writesPerGrain = 5;
        var storage = await OpenAsync(maxWritesPerCommit);

        await Task.WhenAll(Enumerable.Range(0, grains).Select(i => Task.Run(async () =>
        {
            var grain = GrainId.Create("order-book", $"buyer-{i}");
            var state = State();
            for (var w = 1; w <= writesPerGrain; w++)
            {
                state.State = [.. state.State!, $"{i}-{w}"];
                await storage.WriteStateAsync(StateName, grain, state);
            }
        })));

        for (var i = 0; i < grains; i++)
        {
            var read = State();
            await storage.ReadStateAsync(StateName, GrainId.Create("order-book", $"buyer-{i}"), read);
            Assert.Equal(Enumerable.Range(1, writesPerGrain).Select(w => $"{i}-{w}"), read.State);
            Assert.Equal(writesPerGrain.ToString(System.Globalization.CultureInfo.InvariantCulture), read.ETag);
        }

        Assert.Equal(grains, await RowsAsync());
    }

    [Fact]
    public async Task AConflictFailsOnlyItsOwnWriteAmongWritesCommittedTogether()
    {
        var storage = await OpenAsync();
        var contested = GrainId.Create("order-book", "contested");
        await storage.WriteStateAsync(StateName, contested, State("original"));

        var writes = Enumerable.Range(0, 50)
            .Select(i => storage.WriteStateAsync(StateName, GrainId.Create("order-book", $"other-{i}"), State($"o{i}")))
            .Append(storage.WriteStateAsync(StateName, contested, State("blind overwrite")))
            .ToList();

        var failed = await Assert.ThrowsAsync<InconsistentStateException>(() => writes[^1]);
        await Task.WhenAll(writes.SkipLast(1));
        Assert.Contains("contested", failed.Message, StringComparison.Ordinal);
        Assert.Equal(51, await RowsAsync());
    }

    /// <remarks>
    /// An fsync blocks its thread as long as the disk takes; run on the caller's thread it held the grain's turn (a
    /// room's chat stalled behind its write-behind) or a thread-pool thread (docs/PERF.md §27).
    /// </remarks>
    [Fact]
    public async Task CommitsRunOnTheStoragesOwnWriterThreadNeverOnTheCallers()
    {
        var storage = await OpenAsync();
        var probes = Enumerable.Range(0, 20).Select(_ => new ThreadProbe()).ToList();

        foreach (var probe in probes)
        {
            await storage.EnqueueAsync(probe);
        }

        Assert.All(probes, p => Assert.Equal("SQLite writer test", p.AppliedOn));
        Assert.NotEqual("SQLite writer test", Thread.CurrentThread.Name);
    }

    [Fact]
    public async Task WritesQueuedWhenTheStorageClosesAreCommittedBeforeItCloses()
    {
        var storage = await OpenAsync();
        var writes = Enumerable.Range(0, 300)
            .Select(i => storage.WriteStateAsync(StateName, GrainId.Create("order-book", $"closing-{i}"), State($"o{i}")))
            .ToList();

        await storage.DisposeAsync();

        Assert.All(writes, w => Assert.True(w.IsCompletedSuccessfully, "a write queued before the close did not complete"));
        Assert.Equal(300, await RowsAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => storage.WriteStateAsync(StateName, GrainId.Create("order-book", "late"), State("late")));
    }

    private async Task<SqliteGrainStorage> OpenAsync(int maxWritesPerCommit = 1024, int checkpointPages = 10_000, TimeSpan? checkpointInterval = null)
    {
        var options = new SqliteGrainStorageOptions { MaxWritesPerCommit = maxWritesPerCommit, CheckpointPages = checkpointPages };
        options.CheckpointInterval = checkpointInterval ?? options.CheckpointInterval;
        return await _folder.OpenAsync(options);
    }

    private async Task<long> RowsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM grain_state;";
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static async Task<string> WriteLargeStatesAsync(SqliteGrainStorage storage)
    {
        var payload = new string('x', 8_000);
        for (var i = 0; i < 200; i++)
        {
            await storage.WriteStateAsync(StateName, GrainId.Create("order-book", $"buyer-{i}"), State(payload));
        }

        return payload;
    }

    private async Task AssertEveryLargeStateReadsBackAsync(SqliteGrainStorage storage, string payload)
    {
        var read = State();
        await storage.ReadStateAsync(StateName, GrainId.Create("order-book", "buyer-199"), read);
        Assert.Equal([payload], read.State);
        Assert.Equal(200, await RowsAsync());
    }

    /// <summary>The log's frames (pages), as a checkpoint of this test's own reports them.</summary>
    private async Task<long> LogFramesAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return reader.GetInt64(1);
    }

    private static GrainState<List<string>> State(params string[] items) => new([.. items]);

    /// <summary>Work that records the name of the thread that applied it inside the commit.</summary>
    private sealed class ThreadProbe : PendingWork
    {
        public string? AppliedOn { get; private set; }

        public override Exception? Conflict => null;

        public override void Apply(WriteCommands commands) => AppliedOn = Thread.CurrentThread.Name;

        public override void Complete() => Done.TrySetResult(null);
    }
}
