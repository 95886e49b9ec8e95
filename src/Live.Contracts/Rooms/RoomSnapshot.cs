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
}
