namespace Live.Storage;

/// <summary>
/// Work waiting for the writer loop: applied inside a batch's transaction, then completed once that transaction is on
/// disk (or failed with it). Grain-state writes and ledger appends share the loop, so they share fsyncs.
/// </summary>
internal abstract class PendingWork
{
    /// <summary>A result, or null; faults with the conflict or the storage error.</summary>
    public TaskCompletionSource<long?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Runs inside the batch's transaction; a conflict is recorded, not thrown, and changes nothing.</summary>
    public abstract void Apply(WriteCommands commands);

    /// <summary>The transaction is committed: complete <see cref="Done"/> with the outcome <see cref="Apply"/> recorded.</summary>
    public abstract void Complete();

    /// <summary>What to log, and fail with, when <see cref="Apply"/> found a conflict; null when it did not.</summary>
    public abstract Exception? Conflict { get; }
}
