namespace Live.Grains.Ledger;

/// <summary>
/// Append-only logs of opaque entries, one per (name, key), each with at most one snapshot: where a grain whose state
/// grows with use keeps it (the flash sale's decisions). Positions count from 1; a log's length is its last position.
/// </summary>
/// <remarks>
/// One implementation per storage kind, chosen with the grain storage (<c>Cluster:Storage</c>): the embedded SQLite
/// file, Redis, or memory. An append must be durable when its task completes, and atomic: all its entries or none.
/// </remarks>
public interface ILedgerStore
{
    /// <summary>
    /// Appends <paramref name="entries"/> at positions <paramref name="expectedLength"/> + 1 onward, in one write.
    /// Throws <see cref="LedgerConflictException"/> (and appends nothing) when the log's length is not
    /// <paramref name="expectedLength"/>: another writer got there first.
    /// </summary>
    Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries);

    /// <summary>At most <paramref name="limit"/> entries after position <paramref name="after"/>, in order.</summary>
    Task<IReadOnlyList<LedgerRecord>> ReadAsync(string name, string key, long after, int limit);

    /// <summary>Replaces the log's snapshot: the state once the entries up to its position are applied.</summary>
    Task WriteSnapshotAsync(string name, string key, LedgerRecord snapshot);

    /// <summary>The log's snapshot, or null when it has none.</summary>
    Task<LedgerRecord?> ReadSnapshotAsync(string name, string key);
}
