namespace Live.HostConsole;

// The console is a client of PROTOCOL.md like any other: it takes the wire shapes from Live.Client (Live.Client.Models,
// the client library's own copies) rather than from the server's assemblies, so it breaks exactly when the contract
// does. This record and Seller, SaleAudit, SaleLedgerEntry, SaleLedgerPage and Problem beside it are the REST-only
// shapes the client library has no use for.

public sealed record TokenResponse(string Token);
