using Orleans.Storage;

namespace Live.Storage;

/// <summary>A grain-state write or delete; its task completes once its transaction is on disk.</summary>
internal sealed class PendingWrite(string storageName, string stateName, string grainId, string? etag, byte[]? payload) : PendingWork
{
    private (long? Version, bool Conflict) _outcome;

    public string StateName { get; } = stateName;

    public string GrainId { get; } = grainId;

    /// <summary>The ETag the grain read or last wrote (null: it believes there is no row).</summary>
    public string? ETag { get; } = etag;

    /// <summary>The serialized state; null deletes the row (ClearState).</summary>
    public byte[]? Payload { get; } = payload;

    public override Exception? Conflict => _outcome.Conflict
        ? new InconsistentStateException($"Version conflict: provider {storageName}, state {StateName}, grain {GrainId}, ETag {ETag ?? "(none)"}")
        : null;

    public override void Apply(WriteCommands commands) => _outcome = commands.Apply(this);

    public override void Complete() => Done.TrySetResult(_outcome.Version);
}
