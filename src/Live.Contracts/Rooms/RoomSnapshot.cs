using System.Text.Json.Serialization;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;

namespace Live.Contracts.Rooms;

/// <summary>What a viewer needs to render a room: answered by <c>JoinRoom</c> and <c>GET /api/rooms/{id}</c>.</summary>
[GenerateSerializer, Immutable, Alias("live.RoomSnapshot")]
public sealed record RoomSnapshot
{
    [Id(0)] public required Room Room { get; init; }
    [Id(1)] public Product? PinnedProduct { get; init; }
    [Id(2)] public required IReadOnlyList<FlashSale> ActiveSales { get; init; }

    /// <summary>The last 50 messages, oldest first.</summary>
    [Id(3)] public required IReadOnlyList<ChatMessage> RecentChat { get; init; }
    [Id(4)] public long Viewers { get; init; }
    [Id(5)] public long Likes { get; init; }

    /// <summary>
    /// The server's clock when this left for a client (RedLive addition), so that clients count down on the server's
    /// time, not their own; stamped by the hub server as it sends, absent (not null) where nothing stamped it.
    /// </summary>
    [Id(6)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ServerTime { get; init; }

    /// <summary>
    /// The room's event history this snapshot belongs to (RedLive addition, PROTOCOL v1.3): answered by <c>JoinRoom</c>
    /// and <c>ResumeRoom</c>, absent elsewhere. Opaque; it changes only when the room's retained history is lost.
    /// </summary>
    [Id(7)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Epoch { get; init; }

    /// <summary>
    /// The last room event this snapshot reflects (PROTOCOL v1.3): live events at or below it are already in it.
    /// Present with <see cref="Epoch"/>.
    /// </summary>
    [Id(8)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seq { get; init; }

    /// <summary>This snapshot and each of its sales, stamped with the server's clock.</summary>
    public RoomSnapshot At(DateTimeOffset serverTime) =>
        this with { ServerTime = serverTime, ActiveSales = ActiveSales.Select(s => s.At(serverTime)).ToArray() };
}
