namespace Live.Client.Models;

/// <summary>PROTOCOL.md's <c>RoomSnapshot</c>: what <c>JoinRoom</c> answers, and what a resume that cannot resume starts from.</summary>
public sealed record RoomSnapshot
{
    public Room Room { get; init; } = new();

    public Product? PinnedProduct { get; init; }

    public IReadOnlyList<FlashSale> ActiveSales { get; init; } = [];

    /// <summary>The last 50 messages, oldest first.</summary>
    public IReadOnlyList<ChatMessage> RecentChat { get; init; } = [];

    public long Viewers { get; init; }

    public long Likes { get; init; }

    public DateTimeOffset? ServerTime { get; init; }

    /// <summary>The room's retained history this snapshot belongs to (v1.3); null from a server without the event stream.</summary>
    public string? Epoch { get; init; }

    /// <summary>The last event this snapshot reflects (v1.3): live events at or below it are already in it.</summary>
    public long? Seq { get; init; }
}
