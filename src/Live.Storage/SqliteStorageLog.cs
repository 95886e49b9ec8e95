using Microsoft.Extensions.Logging;

namespace Live.Storage;

internal static partial class SqliteStorageLog
{
    [LoggerMessage(6001, LogLevel.Information, "Grain storage {Name} opened {Path} (journal {JournalMode}, synchronous FULL, {Rows} rows)")]
    public static partial void Opened(ILogger logger, string name, string path, string journalMode, long rows);

    [LoggerMessage(6002, LogLevel.Error, "Grain storage {Name} failed to commit {Count} writes; each fails to its grain")]
    public static partial void CommitFailed(ILogger logger, Exception exception, string name, int count);

    [LoggerMessage(6003, LogLevel.Warning, "Grain storage {Name}: {Conflict}")]
    public static partial void Conflict(ILogger logger, string name, string conflict);

    [LoggerMessage(6004, LogLevel.Error, "Grain storage {Name} failed to read {StateName} of {GrainId}")]
    public static partial void ReadFailed(ILogger logger, Exception exception, string name, string stateName, string grainId);

    [LoggerMessage(6005, LogLevel.Information, "Grain storage {Name} moved {Entries} ledger entries into the append-ordered table (once, for a file of an earlier version)")]
    public static partial void LedgerMigrated(ILogger logger, string name, long entries);

    [LoggerMessage(6006, LogLevel.Debug, "Grain storage {Name} checkpointed {Copied} of {Frames} log frames in {Milliseconds:F1} ms")]
    public static partial void Checkpointed(ILogger logger, string name, long copied, long frames, double milliseconds);

    [LoggerMessage(6007, LogLevel.Warning, "Grain storage {Name} could not checkpoint its log beside the writer; the writer's own checkpoint still bounds it")]
    public static partial void CheckpointFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(6008, LogLevel.Warning, "Grain storage {Name} cannot read the size of its log from {ShmPath}; the copy beside the writer runs whenever something was committed")]
    public static partial void LogSizeUnreadable(ILogger logger, Exception exception, string name, string shmPath);

    [LoggerMessage(6009, LogLevel.Warning, "Grain storage {Name} took {Milliseconds:F0} ms to commit {Count} writes; its log held {FramesBefore} frames before it and {FramesAfter} after")]
    public static partial void SlowCommit(ILogger logger, string name, double milliseconds, int count, long? framesBefore, long? framesAfter);
}
