namespace Live.Grains.Ledger;

/// <summary>One entry of a log (or a snapshot) and its position (for a snapshot: the last entry it includes).</summary>
public readonly record struct LedgerRecord(long Position, byte[] Payload);
