using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;

namespace Live.Grains.Rooms;

[GenerateSerializer, Alias("live.LiveRoomState")]
internal sealed class LiveRoomState
{
    [Id(0)] public Room? Room { get; set; }
    [Id(1)] public Product? PinnedProduct { get; set; }

    /// <summary>Open sales as last reported by their grains, in start order.</summary>
    [Id(2)] public List<FlashSale> ActiveSales { get; set; } = [];

    /// <summary>The last messages, oldest first, capped at <see cref="LiveRoomOptions.RecentChatSize"/>.</summary>
    [Id(3)] public List<ChatMessage> RecentChat { get; set; } = [];
    [Id(4)] public long Likes { get; set; }

    // Id 5 held a chat sequence number in stored rooms: reusing it for another type would misread them.
    [Id(6)] public RoomModeration Moderation { get; set; } = new();

    /// <summary>
    /// Every event number the room may have used is at most this (<see cref="RoomSequence"/>): a new activation
    /// numbers from above it.
    /// </summary>
    [Id(7)] public long SequenceCeiling { get; set; }

    /// <summary>
    /// The retained window a gracefully deactivated activation handed over (null otherwise, and once the next
    /// activation took it): see <see cref="RetainedHandoff"/>.
    /// </summary>
    [Id(8)] public RetainedHandoff? Handoff { get; set; }

    /// <summary>The ids of the last deleted chat messages, oldest first, capped like <see cref="RecentChat"/>.</summary>
    [Id(9)] public List<string> DeletedChat { get; set; } = [];
}
