using System.Diagnostics;
using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace Live.Storage;

/// <summary>
/// Grain state in one SQLite file, the embedded server's durable default: one row per (state name, grain id) with the
/// state in the silo's grain-storage format and a version that is its ETag.
/// </summary>
/// <remarks>
/// <para>
/// Every write goes through one connection and one writer thread of its own (SQLite admits one writer at a time). The
/// thread commits what is queued as soon as it is queued; writes that arrive while it commits wait, and the next
/// commit takes all of them in one transaction, so grains writing at the same moment (the order books a flash sale
/// fills) share one fsync instead of queueing for one each. A write's task completes only once its transaction is
/// committed and synced, so a grain that answers after its write answers from disk. The commits, fsync included,
/// never run on a caller's thread: an fsync blocks its thread for as long as the disk takes (milliseconds, or most of
/// a second when another process floods the disk), and a grain's turn or a thread-pool thread held that long stalls
/// the room's chat or, on two cores, half the server (docs/PERF.md §27). Reads take pooled connections of their own:
/// in WAL mode they read beside the writer.
/// </para>
/// <para>
/// Concurrency as in Orleans' providers: a write or clear whose ETag is not the row's version (or that expects no row
/// where there is one) throws <see cref="InconsistentStateException"/> and changes nothing. Versions count per row
/// from 1; a cleared row is deleted, so a grain cleared and written again starts at 1.
/// </para>
/// </remarks>
public sealed class SqliteGrainStorage : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>, IAsyncDisposable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS grain_state (
            state_name TEXT NOT NULL,
            grain_id TEXT NOT NULL,
            version INTEGER NOT NULL,
            payload BLOB NOT NULL,
            PRIMARY KEY (state_name, grain_id));
        CREATE TABLE IF NOT EXISTS ledger_entry (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            position INTEGER NOT NULL,
            payload BLOB NOT NULL);
        CREATE UNIQUE INDEX IF NOT EXISTS ledger_entry_log ON ledger_entry (name, key, position);
        CREATE TABLE IF NOT EXISTS ledger_snapshot (
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            position INTEGER NOT NULL,
            payload BLOB NOT NULL,
            pages INTEGER NOT NULL DEFAULT 0,
            generation INTEGER NOT NULL DEFAULT 0,
            PRIMARY KEY (name, key));
        CREATE TABLE IF NOT EXISTS ledger_snapshot_page (
            name TEXT NOT NULL,
            key TEXT NOT NULL,
            generation INTEGER NOT NULL,
            page INTEGER NOT NULL,
            payload BLOB NOT NULL,
            PRIMARY KEY (name, key, generation, page));
        CREATE TABLE IF NOT EXISTS reminder (
            grain_id TEXT NOT NULL,
            name TEXT NOT NULL,
            grain_hash INTEGER NOT NULL,
            start_at INTEGER NOT NULL,
            period INTEGER NOT NULL,
            version INTEGER NOT NULL,
            PRIMARY KEY (grain_id, name));
        CREATE INDEX IF NOT EXISTS reminder_by_hash ON reminder (grain_hash);
        """;

    /// <summary>A commit (its statements, its fsync) that takes this long is logged (6009).</summary>
    private static readonly TimeSpan SlowCommit = TimeSpan.FromMilliseconds(250);

    private readonly string _name;
    private readonly SqliteGrainStorageOptions _options;
    private readonly IGrainStorageSerializer _serializer;
    private readonly ILogger<SqliteGrainStorage> _logger;
    private readonly string _connectionString;
    private readonly ConcurrentQueue<PendingWork> _pending = new();
    private SqliteConnection? _writer;
    private WriteCommands? _commands;
    private WalCheckpointer? _checkpointer;

    // The writer thread sleeps on _wake while nothing is queued; 1 in _idle while it does (or is about to), so that a
    // write wakes it once. Only that thread touches _writer and _commands after the open.
    private readonly SemaphoreSlim _wake = new(0);
    private readonly TaskCompletionSource _writerStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Thread? _writerThread;
    private int _idle;
    private volatile bool _closed;

    public SqliteGrainStorage(string name, SqliteGrainStorageOptions options, IGrainStorageSerializer serializer, ILogger<SqliteGrainStorage> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxWritesPerCommit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.SnapshotPageBytes, 1);
        if (options.CheckpointInterval <= TimeSpan.Zero && options.CheckpointInterval != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.CheckpointInterval, "CheckpointInterval must be positive, or Timeout.InfiniteTimeSpan for none");
        }

        _name = name;
        _options = options;
        _serializer = serializer;
        _logger = logger;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = Path.GetFullPath(options.DatabasePath),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = true,
        }.ToString();
    }

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe($"{nameof(SqliteGrainStorage)}-{_name}", ServiceLifecycleStage.ApplicationServices, OpenAsync, CloseAsync);

    /// <summary>Creates the folder, the file and the table, and starts the writer. The silo calls it at start.</summary>
    public Task OpenAsync(CancellationToken cancellationToken)
    {
        if (_writer is not null)
        {
            throw new InvalidOperationException($"grain storage {_name} is already open");
        }

        var path = Path.GetFullPath(_options.DatabasePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var writer = new SqliteConnection(_connectionString);
        writer.Open();

        // WAL: readers never wait for the writer, and a commit appends to the log instead of rewriting pages.
        // synchronous=FULL: in WAL mode the log is fsynced at every commit, so a committed purchase survives a power
        // cut. NORMAL would fsync only at checkpoints: still safe against a process crash, but a power loss could
        // take the last commits with it, that is, purchases already answered "confirmed".
        var journal = (string)Scalar(writer, "PRAGMA journal_mode=WAL;")!;
        if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase))
        {
            writer.Dispose();
            throw new InvalidOperationException($"{path}: SQLite refused WAL journal mode ({journal})");
        }

        Execute(writer, "PRAGMA synchronous=FULL;");
        // The log is copied into the file beside the writer (WalCheckpointer); the writer's own automatic checkpoint
        // is the bound of a log that copy cannot catch up with.
        Execute(writer, string.Create(CultureInfo.InvariantCulture, $"PRAGMA cache_size=-{_options.CacheSizeKiB}; PRAGMA wal_autocheckpoint={_options.CheckpointPages};"));
        var migrated = MigrateLedgerEntries(writer);
        Execute(writer, Schema);
        AddSnapshotPages(writer);
        if (migrated > 0)
        {
            SqliteStorageLog.LedgerMigrated(_logger, _name, migrated);
        }

        var rows = (long)Scalar(writer, "SELECT COUNT(*) FROM grain_state;")!;
        _commands = new WriteCommands(writer);
        _checkpointer = new WalCheckpointer(_connectionString, path, _options.CheckpointInterval, _options.CheckpointPages / 4, _name, _logger);
        _writer = writer;
        _writerThread = new Thread(WriteLoop) { IsBackground = true, Name = $"SQLite writer {_name}" };
        _writerThread.Start();
        SqliteStorageLog.Opened(_logger, _name, path, journal, rows);
        return Task.CompletedTask;
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var id = grainId.ToString();
        try
        {
            await using var connection = new SqliteConnection(_connectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT version, payload FROM grain_state WHERE state_name = $state AND grain_id = $grain;";
            command.Parameters.AddWithValue("$state", stateName);
            command.Parameters.AddWithValue("$grain", id);
            await using var reader = await command.ExecuteReaderAsync();
            if (await reader.ReadAsync())
            {
                var version = reader.GetInt64(0);
                var payload = (byte[])reader.GetValue(1);
                grainState.State = _serializer.Deserialize<T>(BinaryData.FromBytes(payload));
                grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
                grainState.RecordExists = true;
            }
            else
            {
                grainState.ETag = null;
                grainState.RecordExists = false;
            }
        }
        catch (Exception ex) when (ex is SqliteException or InvalidOperationException)
        {
            SqliteStorageLog.ReadFailed(_logger, ex, _name, stateName, id);
            throw;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = _serializer.Serialize(grainState.State).ToArray();
        var version = await EnqueueAsync(new PendingWrite(_name, stateName, grainId.ToString(), grainState.ETag, payload));
        grainState.ETag = version!.Value.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await EnqueueAsync(new PendingWrite(_name, stateName, grainId.ToString(), grainState.ETag, payload: null));
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>The connection string of the file, for readers of their own (the ledgers).</summary>
    internal string ConnectionString => _connectionString;

    internal string Name => _name;

    internal SqliteGrainStorageOptions Options => _options;

    /// <summary>
    /// The writer connection's journal mode and <c>synchronous</c> level (2 is FULL). Read on the writer itself because
    /// <c>synchronous</c> is a setting of each connection: only the writer's decides whether a commit is fsynced, and a
    /// connection of one's own would show the library's default. For tests, while nothing is being written (the writer
    /// takes one caller at a time).
    /// </summary>
    internal (string JournalMode, long Synchronous) WriterDurability()
    {
        var writer = _writer ?? throw new InvalidOperationException($"grain storage {_name} is not open");
        return ((string)Scalar(writer, "PRAGMA journal_mode;")!, (long)Scalar(writer, "PRAGMA synchronous;")!);
    }

    /// <summary>Checkpoints run beside the writer since the start.</summary>
    internal long Checkpoints => _checkpointer?.Checkpoints ?? 0;

    /// <summary>Completes once at least <paramref name="count"/> checkpoints have run beside the writer.</summary>
    internal Task CheckpointsAsync(long count) => _checkpointer!.CheckpointsAsync(count);

    public async ValueTask DisposeAsync() => await CloseAsync(CancellationToken.None);

    internal Task<long?> EnqueueAsync(PendingWork write)
    {
        if (_writer is null || _closed)
        {
            throw new InvalidOperationException($"grain storage {_name} is not open");
        }

        _pending.Enqueue(write);
        if (Interlocked.CompareExchange(ref _idle, 0, 1) == 1)
        {
            _wake.Release();
        }

        if (_closed && _writerStopped.Task.IsCompleted)
        {
            // Passed the open check as the storage closed, after the writer's last look.
            FailLate();
        }

        return write.Done.Task;
    }

    /// <summary>
    /// The writer thread: commits what is queued, batch after batch, and sleeps when nothing is. It leaves once the
    /// storage is closed and everything queued before is committed.
    /// </summary>
    private void WriteLoop()
    {
        try
        {
            while (true)
            {
                while (!_pending.IsEmpty)
                {
                    CommitWaiting();
                }

                Volatile.Write(ref _idle, 1);

                // A write queued after the drain and before the flag: take it (unless its writer took the flag first and
                // woke us, in which case the wait below returns at once).
                if (!_pending.IsEmpty && Interlocked.CompareExchange(ref _idle, 0, 1) == 1)
                {
                    continue;
                }

                if (_closed && _pending.IsEmpty)
                {
                    return;
                }

                _wake.Wait();
            }
        }
        finally
        {
            _writerStopped.TrySetResult();
        }
    }

    /// <summary>Stops taking writes, commits those already taken, and closes the file.</summary>
    private async Task CloseAsync(CancellationToken cancellationToken)
    {
        _closed = true;
        if (_writerThread is not null)
        {
            // Wakes the writer whether or not it sleeps (an extra release only makes its next wait return at once).
            _wake.Release();
            await _writerStopped.Task;
        }

        FailLate();

        if (_checkpointer is not null)
        {
            await _checkpointer.DisposeAsync();
        }

        _commands?.Dispose();
        if (_writer is not null)
        {
            await _writer.DisposeAsync();
        }

        // Pooled read connections would keep the file (and its WAL) open after the silo stopped.
        SqliteConnection.ClearAllPools();
    }

    /// <summary>A write that passed the open check as the storage closed, after the writer's last look, fails rather than hangs.</summary>
    private void FailLate()
    {
        while (_pending.TryDequeue(out var late))
        {
            late.Done.TrySetException(new InvalidOperationException($"grain storage {_name} is not open"));
        }
    }

    /// <summary>
    /// One transaction for the batch. A write whose ETag does not match changes nothing and fails alone; an error of
    /// the database fails every write of the batch, none of which is then on disk.
    /// </summary>
    private void CommitWaiting()
    {
        var batch = new List<PendingWork>();
        while (batch.Count < _options.MaxWritesPerCommit && _pending.TryDequeue(out var write))
        {
            batch.Add(write);
        }

        if (batch.Count == 0)
        {
            return;
        }

        var commands = _commands!;
        var started = Stopwatch.GetTimestamp();
        var framesBefore = _checkpointer!.CurrentLogFrames;
        try
        {
            using (var transaction = _writer!.BeginTransaction(deferred: false))
            {
                commands.Enlist(transaction);
                foreach (var work in batch)
                {
                    work.Apply(commands);
                }

                transaction.Commit();
            }
        }
        catch (Exception ex)
        {
            // Whatever went wrong, the batch fails as a whole (its transaction rolled back) and the writer goes on.
            SqliteStorageLog.CommitFailed(_logger, ex, _name, batch.Count);
            foreach (var work in batch)
            {
                work.Done.TrySetException(new OrleansException($"grain storage {_name} could not commit: {ex.Message}", ex));
            }

            return;
        }

        var took = Stopwatch.GetElapsedTime(started);
        if (took >= SlowCommit)
        {
            // Every write of the batch waited this long, and every write queued behind it.
            SqliteStorageLog.SlowCommit(_logger, _name, took.TotalMilliseconds, batch.Count, framesBefore, _checkpointer.CurrentLogFrames);
        }

        foreach (var work in batch)
        {
            if (work.Conflict is { } conflict)
            {
                SqliteStorageLog.Conflict(_logger, _name, conflict.Message);
                work.Done.TrySetException(conflict);
            }
            else
            {
                work.Complete();
            }
        }

        _checkpointer!.Committed();
    }

    /// <summary>
    /// Files written by earlier builds keep <c>ledger_entry</c> ordered by (log, position) (<c>WITHOUT ROWID</c>):
    /// every entry a sale puts at the end of an order book then lands in that book's own page, so a group commit of
    /// n purchases writes about 2n pages to the log. The table is now in the order entries were appended (a rowid),
    /// with the (log, position) order in an index of small rows: the same commit writes about half as many bytes
    /// (docs/PERF.md §23). An old table is copied into the new shape once, in one transaction; 0 when there was none.
    /// </summary>
    private static long MigrateLedgerEntries(SqliteConnection writer)
    {
        var sql = (string?)Scalar(writer, "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'ledger_entry';");
        if (sql is null || !sql.Contains("WITHOUT ROWID", StringComparison.OrdinalIgnoreCase))
        {
            return 0;
        }

        using var transaction = writer.BeginTransaction();
        Execute(writer, "ALTER TABLE ledger_entry RENAME TO ledger_entry_by_log;", transaction);
        Execute(writer, Schema, transaction);
        var copied = Execute(writer, "INSERT INTO ledger_entry (name, key, position, payload) SELECT name, key, position, payload FROM ledger_entry_by_log ORDER BY name, key, position;", transaction);
        Execute(writer, "DROP TABLE ledger_entry_by_log;", transaction);
        transaction.Commit();
        return copied;
    }

    /// <summary>
    /// Gives a <c>ledger_snapshot</c> table made by an earlier build the columns of paged snapshots (see
    /// <see cref="SqliteLedger.WriteSnapshotAsync"/>); its rows keep their whole payload and read as before (0 pages).
    /// </summary>
    private static void AddSnapshotPages(SqliteConnection writer)
    {
        // Looked at inside the (immediate) transaction: two silos starting together on one file add the columns once.
        using var transaction = writer.BeginTransaction(deferred: false);
        if ((long)Scalar(writer, "SELECT COUNT(*) FROM pragma_table_info('ledger_snapshot') WHERE name = 'pages';", transaction)! == 0)
        {
            Execute(writer, "ALTER TABLE ledger_snapshot ADD COLUMN pages INTEGER NOT NULL DEFAULT 0;", transaction);
            Execute(writer, "ALTER TABLE ledger_snapshot ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;", transaction);
        }

        transaction.Commit();
    }

    private static int Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteNonQuery();
    }

    private static object? Scalar(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command.ExecuteScalar();
    }
}
