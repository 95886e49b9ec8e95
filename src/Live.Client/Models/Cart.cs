namespace Live.Client.Models;

/// <summary>PROTOCOL.md's <c>Cart</c>: <c>AddToCart</c>'s answer.</summary>
public sealed record Cart
{
    public string UserId { get; init; } = "";

    public IReadOnlyList<CartItem> Items { get; init; } = [];

    public decimal Total { get; init; }

    /// <summary>The currency of every item and of <see cref="Total"/>; null for an empty cart.</summary>
    public string? Currency { get; init; }
}
