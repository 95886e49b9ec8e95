using System.Text.Json.Serialization;

namespace Live.Contracts.FlashSales;

/// <summary>The coalesced <c>FlashSaleUpdated</c> event's argument.</summary>
[GenerateSerializer, Immutable, Alias("live.FlashSaleProgress")]
public sealed record FlashSaleProgress
{
    [Id(0)] public required string SaleId { get; init; }
    [Id(1)] public required int Remaining { get; init; }
    [Id(2)] public required int Sold { get; init; }

    /// <summary>Display names of the latest buyers, newest first.</summary>
    [Id(3)] public required IReadOnlyList<string> RecentBuyers { get; init; }

    /// <summary>
    /// The server's clock when this left for a client (RedLive addition), so that clients count down on the server's
    /// time, not their own; stamped by the hub server as it sends, absent (not null) where nothing stamped it.
    /// </summary>
    [Id(4)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ServerTime { get; init; }

    /// <summary>The room event this travels in (PROTOCOL v1.3), stamped by the hub server as it sends.</summary>
    [Id(5)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seq { get; init; }

    /// <summary>The sale's room (RedLive addition, PROTOCOL v1.5), stamped by the hub server as it sends.</summary>
    [Id(6)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RoomId { get; init; }

    public FlashSaleProgress At(DateTimeOffset serverTime) => this with { ServerTime = serverTime };
}
