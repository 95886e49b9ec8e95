namespace Live.HostConsole;

// The console is a client of PROTOCOL.md like any other: it keeps its own copies of the wire shapes rather than
// referencing the server's assemblies, so it breaks exactly when the contract does.

public sealed record Product(string Id, string Name, string Brand, decimal Price, string Currency, string? ImageUrl, IReadOnlyList<string>? Tags, bool Verified, int? Stock, string? OwnerId = null);

public sealed record Room(string Id, string HostId, string Title, string? Description, string Status, DateTimeOffset? StartedAt, DateTimeOffset? EndedAt);

public sealed record ChatMessage(string Id, string RoomId, string UserId, string DisplayName, string Text, DateTimeOffset SentAt);

public sealed record FlashSale(string Id, string RoomId, Product Product, decimal Price, int Quantity, int Remaining, int PerUserLimit, string Status, DateTimeOffset EndsAt);

public sealed record RoomSnapshot(Room Room, Product? PinnedProduct, IReadOnlyList<FlashSale> ActiveSales, IReadOnlyList<ChatMessage> RecentChat, long Viewers, long Likes);

public sealed record FlashSaleProgress(string SaleId, int Remaining, int Sold, IReadOnlyList<string> RecentBuyers);

public sealed record ViewerCountUpdate(string RoomId, long Viewers);

public sealed record LikesUpdate(string RoomId, long Likes);

public sealed record RoomRef(string RoomId);

public sealed record TokenResponse(string Token);

public sealed record Seller(string HostId, IReadOnlyList<string> Brands);

public sealed record SaleAudit(string SaleId, int Quantity, int Confirmed, int Remaining, int Orders, bool Consistent, long Decisions, IReadOnlyList<string> Problems);

public sealed record SaleLedgerEntry(long Position, string Kind, DateTimeOffset At, string? RequestId, string? UserId, int? Quantity, string? Status, int? Remaining, string? OrderId, IReadOnlyList<string>? OrderIds);

public sealed record SaleLedgerPage(string SaleId, IReadOnlyList<SaleLedgerEntry> Entries, long? Next);

/// <summary>RFC 7807 problem details as RedLive sends them: <c>type</c> is the stable error code.</summary>
public sealed record Problem(string? Type, string? Title, int? Status, string? Detail);
