namespace Live.Client.Models;

/// <summary>PROTOCOL.md's <c>Product</c>: the argument of <c>ProductPinned</c>, a snapshot's pin, a sale's product.</summary>
public sealed record Product
{
    public string Id { get; init; } = "";

    public string Name { get; init; } = "";

    public string Brand { get; init; } = "";

    public decimal Price { get; init; }

    public string Currency { get; init; } = "";

    public string? ImageUrl { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The authenticity badge: an operator licensed the product's owner for its brand.</summary>
    public bool Verified { get; init; }

    /// <summary>Regular stock left; null when the product's stock is not tracked.</summary>
    public int? Stock { get; init; }

    /// <summary>The host who created the product.</summary>
    public string? OwnerId { get; init; }

    /// <summary>The room's event number when this came as <c>ProductPinned</c> (v1.3); null elsewhere.</summary>
    public long? Seq { get; init; }

    /// <summary>The room of the <c>ProductPinned</c> this came as (v1.5); null elsewhere and from older servers.</summary>
    public string? RoomId { get; init; }
}
