using Orleans.Storage;

namespace Live.Storage;

/// <summary>An append to a ledger at its expected length; a conflict when the ledger is at another length.</summary>
/// <remarks>
/// With <paramref name="atEnd"/>, each of those entries lands at the end of its own log in the same transaction (none
/// when the length check fails); with no <paramref name="entries"/> the log (name, key) is neither checked nor changed.
/// </remarks>
internal sealed class LedgerAppend(
    string name, string key, long expectedLength, IReadOnlyList<byte[]> entries, IReadOnlyList<(string Name, string Key, byte[] Entry)> atEnd) : PendingWork
{
    private long? _actual;

    public override Exception? Conflict => _actual is { } actual
        ? new InconsistentStateException($"ledger {name}/{key}: expected length {expectedLength}, found {actual}", actual.ToString(System.Globalization.CultureInfo.InvariantCulture), expectedLength.ToString(System.Globalization.CultureInfo.InvariantCulture))
        : null;

    public override void Apply(WriteCommands commands)
    {
        if (entries.Count > 0)
        {
            var length = commands.LedgerLength(name, key);
            if (length != expectedLength)
            {
                _actual = length;
                return;
            }

            for (var i = 0; i < entries.Count; i++)
            {
                commands.LedgerInsert(name, key, expectedLength + i + 1, entries[i]);
            }
        }

        foreach (var (tailName, tailKey, entry) in atEnd)
        {
            commands.LedgerInsertAtEnd(tailName, tailKey, entry);
        }
    }

    public override void Complete() => Done.TrySetResult(expectedLength + entries.Count);
}

/// <summary>
/// Replaces a ledger's snapshot: its whole payload, or (<paramref name="pages"/> above 0) the pages of
/// <paramref name="generation"/> written before by <see cref="LedgerSnapshotPage"/>s.
/// </summary>
/// <remarks>
/// Paged, it changes nothing and fails as a conflict when the file does not hold every page of its generation: another
/// writer's snapshot of the same ledger (a second activation, a former one's last write) deleted them meanwhile, and the
/// snapshot read stays the one that writer made.
/// </remarks>
internal sealed class LedgerSnapshotWrite(string name, string key, long position, byte[] payload, int pages = 0, long generation = 0) : PendingWork
{
    private long? _found;

    public override Exception? Conflict => _found is { } found
        ? new InconsistentStateException($"ledger {name}/{key}: snapshot at position {position} has {found} of its {pages} pages (another snapshot replaced it meanwhile)")
        : null;

    public override void Apply(WriteCommands commands)
    {
        if (pages > 0 && commands.SnapshotPageCount(name, key, generation) is var found && found != pages)
        {
            _found = found;
            return;
        }

        commands.SnapshotUpsert(name, key, position, payload, pages, generation);
    }

    public override void Complete() => Done.TrySetResult(position);
}

/// <summary>One page of a snapshot written in pages, read only once its <see cref="LedgerSnapshotWrite"/> is committed.</summary>
internal sealed class LedgerSnapshotPage(string name, string key, long generation, int page, byte[] payload) : PendingWork
{
    public override Exception? Conflict => null;

    public override void Apply(WriteCommands commands) => commands.SnapshotPageInsert(name, key, generation, page, payload);

    public override void Complete() => Done.TrySetResult(page);
}
