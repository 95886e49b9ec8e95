namespace Live.HostConsole;

public sealed record SaleLedgerEntry(long Position, string Kind, DateTimeOffset At, string? RequestId, string? UserId, int? Quantity, string? Status, int? Remaining, string? OrderId, IReadOnlyList<string>? OrderIds);
