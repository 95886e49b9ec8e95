using Orleans.Storage;

namespace Live.Storage;

/// <summary>An append to a ledger at its expected length; a conflict when the ledger is at another length.</summary>
internal sealed class LedgerAppend(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries) : PendingWork
{
    private long? _actual;

    public override Exception? Conflict => _actual is { } actual
        ? new InconsistentStateException($"ledger {name}/{key}: expected length {expectedLength}, found {actual}", actual.ToString(System.Globalization.CultureInfo.InvariantCulture), expectedLength.ToString(System.Globalization.CultureInfo.InvariantCulture))
        : null;

    public override void Apply(WriteCommands commands)
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

    public override void Complete() => Done.TrySetResult(expectedLength + entries.Count);
}

/// <summary>Replaces a ledger's snapshot.</summary>
internal sealed class LedgerSnapshotWrite(string name, string key, long position, byte[] payload) : PendingWork
{
    public override Exception? Conflict => null;

    public override void Apply(WriteCommands commands) => commands.SnapshotUpsert(name, key, position, payload);

    public override void Complete() => Done.TrySetResult(position);
}
