using System.ComponentModel.DataAnnotations;

namespace Live.Grains.Rooms;

/// <summary>Room timing: how chat is batched and how counters are coalesced.</summary>
public sealed class LiveRoomOptions
{
    public const string SectionName = "Rooms";

    /// <summary>The room tick: chat sent during one tick goes out as one <c>ChatBatch</c>.</summary>
    public TimeSpan ChatTick { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>At most one <c>LikesUpdated</c> per interval.</summary>
    public TimeSpan LikesInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>At most one <c>ViewerCount</c> per interval.</summary>
    public TimeSpan ViewersInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A hub's viewer report older than this no longer counts (the hub is taken for gone).</summary>
    public TimeSpan ViewerReportExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Chat and likes are written behind, at most once per interval (commerce is always written before it answers).
    /// </summary>
    public TimeSpan PersistInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 1000)]
    public int RecentChatSize { get; set; } = 50;

    [Range(1, 10_000)]
    public int MaxLikesPerCall { get; set; } = 100;
}
