using System.Diagnostics;
using System.IO.MemoryMappedFiles;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace Live.Storage;

/// <summary>
/// Copies the write-ahead log into the database file on a connection of its own, beside the writer, so that the
/// writer's commits seldom do it themselves.
/// </summary>
/// <remarks>
/// <para>
/// SQLite's automatic checkpoint runs inside the commit that finds the log at <c>wal_autocheckpoint</c> pages: that
/// commit returns only once the log was copied into the file and the file synced, so every write of its batch (a flash
/// sale's buyers, each waiting on its order) waits for it, and so does every write queued behind. In a one-second rush
/// that stall was the worst tail (docs/PERF.md §25). Here a timer looks every
/// <see cref="SqliteGrainStorageOptions.CheckpointInterval"/> and, when something was committed since the previous copy
/// and the log holds at least a quarter of <see cref="SqliteGrainStorageOptions.CheckpointPages"/>, runs a
/// <c>PASSIVE</c> checkpoint: it copies what is committed without taking the writer's lock, so commits go on while it
/// runs, and the log starts again from its beginning at the first commit after a copy that caught up (SQLite's rule).
/// </para>
/// <para>
/// The quarter: a copy ends with an fsync of the database file, and on one disk that fsync delays the writer's own
/// (the log's) while it flushes. Copying a small log every interval buys nothing (the writer's commits were not
/// waiting for it) and adds a sync of the file twice a second under a busy room's chat, which measured slower, if
/// inside this machine's spread (docs/PERF.md §25); the log's size is read from the shared-memory index SQLite keeps beside it
/// (<c>-shm</c>: <c>mxFrame</c>, the last committed frame, at offset 16 of its header, as sqlite.org's "WAL-mode file
/// format" documents it), a read of a mapped page and no call into SQLite.
/// </para>
/// <para>
/// The writer's automatic checkpoint stays, at <see cref="SqliteGrainStorageOptions.CheckpointPages"/>: the bound of a
/// log this copy cannot catch up with (a writer that never pauses). It then copies only what this copy had not.
/// </para>
/// </remarks>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly string _shmPath;
    private readonly long _minFrames;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly PeriodicTimer? _timer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private long _commits;
    private long _copiedThrough;
    private long _checkpoints;
    private int _disposed;
    private MemoryMappedFile? _shm;
    private MemoryMappedViewAccessor? _shmHeader;
    private bool _shmUnreadable;

    /// <summary>Starts the timer; an <paramref name="interval"/> of <see cref="Timeout.InfiniteTimeSpan"/> never copies (the writer's own checkpoint only).</summary>
    public WalCheckpointer(string connectionString, string databasePath, TimeSpan interval, long minFrames, string name, ILogger logger)
    {
        _connectionString = connectionString;
        _shmPath = databasePath + "-shm";
        _minFrames = minFrames;
        _name = name;
        _logger = logger;
        if (interval == Timeout.InfiniteTimeSpan)
        {
            _loop = Task.CompletedTask;
            return;
        }

        _timer = new PeriodicTimer(interval);
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Checkpoints finished since the start (whole or partial; failed ones not counted).</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>
    /// The log's last committed frame, for the writer's report of a slow commit; null until the copy's first look mapped
    /// the index (<see cref="LogFrames"/>).
    /// </summary>
    public long? CurrentLogFrames
    {
        get
        {
            try
            {
                return _shmHeader?.ReadUInt32(16);
            }
            catch (ObjectDisposedException)
            {
                return null;
            }
        }
    }

    /// <summary>The writer calls it after each commit.</summary>
    public void Committed() => Interlocked.Increment(ref _commits);

    /// <summary>Completes once at least <paramref name="count"/> checkpoints have finished (for the tests).</summary>
    public async Task CheckpointsAsync(long count)
    {
        while (Checkpoints < count)
        {
            ObjectDisposedException.ThrowIf(_loop.IsCompleted, this);
            await Task.Delay(5);
        }
    }

    /// <remarks>Once; the storage calls it after its last commit.</remarks>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        await _stop.CancelAsync();
        try
        {
            await _loop;
        }
        finally
        {
            _timer?.Dispose();
            _shmHeader?.Dispose();
            _shm?.Dispose();
            _stop.Dispose();
        }
    }

    private async Task RunAsync()
    {
        await using var connection = new SqliteConnection(_connectionString);
        try
        {
            while (await _timer!.WaitForNextTickAsync(_stop.Token))
            {
                var commits = Interlocked.Read(ref _commits);
                if (commits == Interlocked.Read(ref _copiedThrough) || LogFrames() < _minFrames)
                {
                    continue;
                }

                try
                {
                    var whole = await CheckpointAsync(connection);
                    Interlocked.Increment(ref _checkpoints);
                    if (whole)
                    {
                        Interlocked.Exchange(ref _copiedThrough, commits);
                    }
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    // Interrupted by the close.
                    return;
                }
                catch (Exception ex)
                {
                    // Tried again at the next tick; the writer's own checkpoint still bounds the log.
                    SqliteStorageLog.CheckpointFailed(_logger, ex, _name);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Closed.
        }
    }

    /// <summary>
    /// The log's last committed frame as the <c>-shm</c> index's header says (<c>mxFrame</c>: a 32-bit integer in the
    /// machine's byte order at offset 16). Read without SQLite's locks: a value a commit is changing is at worst one
    /// commit old, which is all a threshold needs. The writer keeps the index open (SQLite deletes it only at the last
    /// close), so it is mapped once. When it cannot be read (a file system that does not map it, a path SQLite resolved
    /// otherwise), this says so once and answers <see cref="long.MaxValue"/>: the copy then runs whenever something was
    /// committed, as it did before the gate, rather than never.
    /// </summary>
    private long LogFrames()
    {
        if (CurrentLogFrames is { } frames)
        {
            return frames;
        }

        if (_shmUnreadable)
        {
            return long.MaxValue;
        }

        MemoryMappedFile? shm = null;
        try
        {
            var file = new FileStream(_shmPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            try
            {
                shm = MemoryMappedFile.CreateFromFile(file, mapName: null, capacity: 0, MemoryMappedFileAccess.Read, HandleInheritability.None, leaveOpen: false);
            }
            catch
            {
                file.Dispose();
                throw;
            }

            var header = shm.CreateViewAccessor(0, 48, MemoryMappedFileAccess.Read);
            (_shm, _shmHeader) = (shm, header);
            return header.ReadUInt32(16);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            shm?.Dispose();
            _shmUnreadable = true;
            SqliteStorageLog.LogSizeUnreadable(_logger, ex, _name, _shmPath);
            return long.MaxValue;
        }
    }

    /// <returns>Whether the whole log was copied (a reader of an older snapshot may hold part of it back).</returns>
    private async Task<bool> CheckpointAsync(SqliteConnection connection)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await connection.OpenAsync(_stop.Token);
        }

        var started = Stopwatch.GetTimestamp();
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        await using var reader = await command.ExecuteReaderAsync(_stop.Token);
        await reader.ReadAsync(_stop.Token);
        var (busy, frames, copied) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        SqliteStorageLog.Checkpointed(_logger, _name, copied, frames, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return busy == 0 && copied == frames;
    }
}
