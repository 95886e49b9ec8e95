namespace Live.Grains;

/// <summary>
/// Writes a grain's state and guards the activation after a failed write: the memory may then hold what storage does
/// not, so the activation asks to be deactivated (the next one reloads from storage), rethrows, and refuses every
/// later call and write (<see cref="ThrowIfBroken"/>) instead of answering from that memory.
/// </summary>
/// <remarks>Not thread-safe: meant for one grain activation, whose turns never overlap.</remarks>
internal sealed class StateWriter(Func<CancellationToken, Task> write, Action deactivate, string what)
{
    private Exception? _failure;

    /// <summary>A write failed; this activation's memory is no longer trusted.</summary>
    public bool IsBroken => _failure is not null;

    /// <summary>Throws when a write has failed: called before a call is served, so nothing answers from that memory.</summary>
    public void ThrowIfBroken()
    {
        if (_failure is not null)
        {
            throw Reloading(what, _failure);
        }
    }

    public Task WriteAsync(CancellationToken cancellationToken = default) => WriteAsync(tolerate: null, cancellationToken);

    /// <summary>
    /// A write whose failure the grain can take without reloading: of what nobody was told is stored (a room's chat
    /// and likes written behind, written again later), or of a change the grain takes back before it answers the
    /// caller <c>unavailable</c>. When it fails because storage was out of reach or late
    /// (<see cref="TransientStorageFailure"/>) the activation stays trusted — its memory holds all that storage may
    /// have, and more only of what is written behind by design — and the failure is returned. Any other failure breaks
    /// the activation as <see cref="WriteAsync(CancellationToken)"/>'s does.
    /// </summary>
    /// <remarks>
    /// A write that timed out may still have landed: the next write then fails on its etag (not transient) and breaks
    /// the activation, whose next one reloads what landed. Memory is never behind storage either way.
    /// </remarks>
    public Task<Exception?> WriteUnlessUnreachableAsync(CancellationToken cancellationToken = default) =>
        WriteAsync(TransientStorageFailure.Is, cancellationToken);

    /// <summary>
    /// A write of a change the grain takes back when it fails: like <see cref="WriteUnlessUnreachableAsync"/>, but only
    /// a failure that says the write was never sent or applied is returned (<see cref="TransientStorageFailure.MayHaveLanded"/>
    /// false). One that may have landed (a timeout) breaks the activation as <see cref="WriteAsync(CancellationToken)"/>'s
    /// does: taking the change back would leave memory behind storage, answering from it as if the change had not
    /// happened (a ban not enforced) until a later write found the conflict.
    /// </summary>
    public Task<Exception?> WriteUnlessUnsentAsync(CancellationToken cancellationToken = default) =>
        WriteAsync(e => TransientStorageFailure.Is(e) && !TransientStorageFailure.MayHaveLanded(e), cancellationToken);

    private async Task<Exception?> WriteAsync(Func<Exception, bool>? tolerate, CancellationToken cancellationToken)
    {
        ThrowIfBroken();
        try
        {
            await write(cancellationToken);
            return null;
        }
        catch (Exception ex) when (tolerate?.Invoke(ex) == true)
        {
            return ex;
        }
        catch (Exception ex)
        {
            _failure = ex;
            deactivate();
            throw;
        }
    }

    /// <summary>
    /// What a call to an activation whose write failed is answered: the client retries, and reaches a reloaded one. When
    /// the write failed because storage was unreachable or late (<see cref="TransientStorageFailure"/>) it is a
    /// <see cref="Live.Contracts.StorageUnavailableException"/> (answered <c>unavailable</c>, without the cause as inner
    /// exception: a storage client's exception has no Orleans codec); otherwise an <see cref="InvalidOperationException"/>.
    /// </summary>
    public static Exception Reloading(string what, Exception? cause = null) =>
        cause is not null && TransientStorageFailure.Is(cause)
            ? new Live.Contracts.StorageUnavailableException($"{what} is reloading its state after a storage failure ({cause.GetType().Name}); retry")
            : new InvalidOperationException($"{what} is reloading its state; retry", cause);
}
