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

    /// <summary>
    /// Appends <paramref name="entries"/> as <see cref="AppendAsync(string, string, long, IReadOnlyList{byte[]})"/> does and,
    /// in the same atomic write, each of <paramref name="atEnd"/> at the end of its own log whatever that log's length
    /// (several for one log land in their order). When the length check fails nothing is appended anywhere. With no
    /// <paramref name="entries"/> the log (<paramref name="name"/>, <paramref name="key"/>) is neither checked nor changed.
    /// </summary>
    /// <remarks>
    /// How one grain writes into logs that other writers append to as well (the flash sale puts each confirmed order in
    /// its buyer's order book in the append that confirms it); a log written this way is read by its owner to its end
    /// before it answers from it, since its memory does not see these appends.
    /// </remarks>
    Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries, IReadOnlyList<LedgerTailEntry> atEnd);

    /// <summary>At most <paramref name="limit"/> entries after position <paramref name="after"/>, in order.</summary>
    Task<IReadOnlyList<LedgerRecord>> ReadAsync(string name, string key, long after, int limit);

    /// <summary>Replaces the log's snapshot: the state once the entries up to its position are applied.</summary>
    Task WriteSnapshotAsync(string name, string key, LedgerRecord snapshot);

    /// <summary>The log's snapshot, or null when it has none.</summary>
    Task<LedgerRecord?> ReadSnapshotAsync(string name, string key);
}
