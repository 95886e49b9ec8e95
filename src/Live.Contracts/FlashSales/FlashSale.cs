using System.Text.Json.Serialization;
using Live.Contracts.Catalog;

namespace Live.Contracts.FlashSales;

[GenerateSerializer, Immutable, Alias("live.FlashSale")]
public sealed record FlashSale
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string RoomId { get; init; }
    [Id(2)] public required Product Product { get; init; }
    [Id(3)] public required decimal Price { get; init; }
    [Id(4)] public required int Quantity { get; init; }
    [Id(5)] public required int Remaining { get; init; }
    [Id(6)] public required int PerUserLimit { get; init; }
    [Id(7)] public required string Status { get; init; }
    [Id(8)] public required DateTimeOffset EndsAt { get; init; }

    /// <summary>
    /// The server's clock when this left for a client (RedLive addition), so that clients count down on the server's
    /// time, not their own; stamped by the hub server as it sends, absent (not null) where nothing stamped it.
    /// </summary>
    [Id(9)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ServerTime { get; init; }

    /// <summary>The room event this travels in (PROTOCOL v1.3), stamped by the hub server as it sends.</summary>
    [Id(10)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seq { get; init; }

    public FlashSale At(DateTimeOffset serverTime) => this with { ServerTime = serverTime };
}
