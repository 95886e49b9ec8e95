using System.Diagnostics;
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
/// that stall was the worst tail (docs/PERF.md §25). Here a timer runs a <c>PASSIVE</c> checkpoint every
/// <see cref="SqliteGrainStorageOptions.CheckpointInterval"/> when something was committed since the previous one: it
/// copies what is committed without taking the writer's lock, so commits go on while it runs, and the log starts again
/// from its beginning at the first commit after a copy that caught up (SQLite's rule).
/// </para>
/// <para>
/// The writer's automatic checkpoint stays, at <see cref="SqliteGrainStorageOptions.CheckpointPages"/>: the bound of a
/// log this copy cannot catch up with (a writer that never pauses). It then copies only what this copy had not.
/// </para>
/// </remarks>
internal sealed class WalCheckpointer : IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly string _name;
    private readonly ILogger _logger;
    private readonly PeriodicTimer? _timer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    private long _commits;
    private long _copiedThrough;
    private long _checkpoints;
    private int _disposed;

    /// <summary>Starts the timer; an <paramref name="interval"/> of <see cref="Timeout.InfiniteTimeSpan"/> never copies (the writer's own checkpoint only).</summary>
    public WalCheckpointer(string connectionString, TimeSpan interval, string name, ILogger logger)
    {
        _connectionString = connectionString;
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

    /// <summary>The writer calls it after each commit.</summary>
    public void Committed() => Interlocked.Increment(ref _commits);

    /// <summary>Completes once a checkpoint that started after every commit made so far has finished (for the tests).</summary>
    public async Task CheckpointedAsync()
    {
        var commits = Interlocked.Read(ref _commits);
        while (Interlocked.Read(ref _copiedThrough) < commits)
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
        await _loop;
        _timer?.Dispose();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        await using var connection = new SqliteConnection(_connectionString);
        try
        {
            while (await _timer!.WaitForNextTickAsync(_stop.Token))
            {
                var commits = Interlocked.Read(ref _commits);
                if (commits == Interlocked.Read(ref _copiedThrough))
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
                catch (SqliteException) when (_stop.IsCancellationRequested)
                {
                    // Interrupted by the close.
                    return;
                }
                catch (SqliteException ex)
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
