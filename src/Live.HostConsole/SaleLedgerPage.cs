namespace Live.HostConsole;

public sealed record SaleLedgerPage(string SaleId, IReadOnlyList<SaleLedgerEntry> Entries, long? Next);
