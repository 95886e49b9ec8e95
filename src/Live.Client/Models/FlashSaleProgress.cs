namespace Live.Client.Models;

/// <summary>The argument of <c>FlashSaleUpdated</c> (latest-value: only the newest counts).</summary>
public sealed record FlashSaleProgress
{
    public string SaleId { get; init; } = "";

    public int Remaining { get; init; }

    public int Sold { get; init; }

    /// <summary>Display names of the latest buyers, newest first.</summary>
    public IReadOnlyList<string> RecentBuyers { get; init; } = [];

    public DateTimeOffset? ServerTime { get; init; }

    public long? Seq { get; init; }

    /// <summary>The sale's room (v1.5); null from older servers.</summary>
    public string? RoomId { get; init; }
}
