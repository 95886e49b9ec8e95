namespace Live.Grains.Ledger;

/// <summary>An append expected the log at one length and found it at another; nothing was appended.</summary>
public sealed class LedgerConflictException(string name, string key, long expected, long actual)
    : Exception($"ledger {name}/{key}: expected length {expected}, found {actual}")
{
    public long Expected { get; } = expected;

    public long Actual { get; } = actual;
}
