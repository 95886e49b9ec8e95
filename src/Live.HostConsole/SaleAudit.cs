namespace Live.HostConsole;

// The console is a client of PROTOCOL.md like any other: it takes the wire shapes from Live.Client (Live.Client.Models,
// the client library's own copies) rather than from the server's assemblies, so it breaks exactly when the contract
// does. These are the REST-only shapes the client library has no use for.

public sealed record SaleAudit(string SaleId, int Quantity, int Confirmed, int Remaining, int Orders, bool Consistent, long Decisions, IReadOnlyList<string> Problems);
