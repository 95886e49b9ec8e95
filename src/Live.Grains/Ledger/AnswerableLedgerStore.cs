namespace Live.Grains.Ledger;

/// <summary>
/// A ledger store whose failures can travel back to a grain's caller. A storage client's own exceptions
/// (StackExchange.Redis' <c>RedisConnectionException</c>, <c>SqliteException</c>, <see cref="LedgerConflictException"/>)
/// have no Orleans codec: thrown out of a grain call, the silo cannot serialize the response, and the caller hears
/// nothing until its response timeout. Each is rethrown as one Orleans carries, naming the store call and the original
/// type and message (<see cref="TransientStorageFailure.Answerable"/>): a <see cref="Live.Contracts.StorageUnavailableException"/>
/// when storage was unreachable or late (the caller is told <c>unavailable</c> and may retry), otherwise an
/// <see cref="InvalidOperationException"/>; the inner exception is left out because it is what cannot be serialized.
/// </summary>
internal sealed class AnswerableLedgerStore(ILedgerStore inner) : ILedgerStore
{
    public Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries) =>
        Guard(() => inner.AppendAsync(name, key, expectedLength, entries), "append to", name, key);

    public Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries, IReadOnlyList<LedgerTailEntry> atEnd) =>
        Guard(() => inner.AppendAsync(name, key, expectedLength, entries, atEnd), "append to", name, key);

    public Task<IReadOnlyList<LedgerRecord>> ReadAsync(string name, string key, long after, int limit) =>
        Guard(() => inner.ReadAsync(name, key, after, limit), "read", name, key);

    public Task WriteSnapshotAsync(string name, string key, LedgerRecord snapshot) =>
        Guard(() => inner.WriteSnapshotAsync(name, key, snapshot), "write the snapshot of", name, key);

    public Task<LedgerRecord?> ReadSnapshotAsync(string name, string key) =>
        Guard(() => inner.ReadSnapshotAsync(name, key), "read the snapshot of", name, key);

    private static async Task Guard(Func<Task> call, string what, string name, string key) =>
        await Guard(async () => { await call(); return true; }, what, name, key);

    private static async Task<T> Guard<T>(Func<Task<T>> call, string what, string name, string key)
    {
        try
        {
            return await call();
        }
        catch (Exception ex) when (ex is not (InvalidOperationException or OperationCanceledException or Live.Contracts.StorageUnavailableException))
        {
            throw TransientStorageFailure.Answerable($"could not {what} ledger {name}/{key}", ex);
        }
    }
}
