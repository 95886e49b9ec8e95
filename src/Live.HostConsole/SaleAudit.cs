namespace Live.HostConsole;

public sealed record SaleAudit(string SaleId, int Quantity, int Confirmed, int Remaining, int Orders, bool Consistent, long Decisions, IReadOnlyList<string> Problems);
