using System.Text.Json.Serialization;

namespace Live.Contracts.Catalog;

/// <summary>
/// PROTOCOL.md's <c>Product</c>; <c>stock</c> (regular stock left, null when untracked) and <c>ownerId</c> (the host who
/// created it, the only one who may pin it or sell it) are RedLive's additions.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.Product")]
public sealed record Product
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required string Name { get; init; }
    [Id(2)] public required string Brand { get; init; }
    [Id(3)] public required decimal Price { get; init; }
    [Id(4)] public required string Currency { get; init; }
    [Id(5)] public string? ImageUrl { get; init; }
    [Id(6)] public IReadOnlyList<string> Tags { get; init; } = Array.Empty<string>();

    /// <summary>The authenticity badge: an operator licensed the product's owner for its brand.</summary>
    [Id(7)] public bool Verified { get; init; }
    [Id(8)] public int? Stock { get; init; }

    /// <summary>The host who created the product; null only in products stored before owners were shown.</summary>
    [Id(9)] public string? OwnerId { get; init; }

    /// <summary>
    /// The room event this travels in (RedLive addition, PROTOCOL v1.3): stamped by the hub server as it sends a room
    /// event, absent (not null) in REST answers and snapshots.
    /// </summary>
    [Id(10)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seq { get; init; }

    /// <summary>
    /// The room of the <c>ProductPinned</c> this travels in (RedLive addition, PROTOCOL v1.5): stamped by the hub
    /// server as it sends the room event, absent (not null) in REST answers, snapshots and sales.
    /// </summary>
    [Id(11)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? RoomId { get; init; }
}
