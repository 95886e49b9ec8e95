namespace Live.Storage;

/// <summary>A write or a delete waiting for the writer loop; its task completes once its transaction is on disk.</summary>
internal sealed class PendingWrite(string stateName, string grainId, string? etag, byte[]? payload)
{
    public string StateName { get; } = stateName;

    public string GrainId { get; } = grainId;

    /// <summary>The ETag the grain read or last wrote (null: it believes there is no row).</summary>
    public string? ETag { get; } = etag;

    /// <summary>The serialized state; null deletes the row (ClearState).</summary>
    public byte[]? Payload { get; } = payload;

    /// <summary>The row's new version, or null once deleted; faults with the conflict or the storage error.</summary>
    public TaskCompletionSource<long?> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
