namespace Live.Grains.Ledger;

/// <summary>
/// One entry for the end of the log (<paramref name="Name"/>, <paramref name="Key"/>), whatever that log's length: the
/// position is the log's next one when the write is applied (see <see cref="ILedgerStore.AppendAsync(string, string, long, IReadOnlyList{byte[]}, IReadOnlyList{LedgerTailEntry})"/>).
/// </summary>
public sealed record LedgerTailEntry(string Name, string Key, byte[] Entry);
