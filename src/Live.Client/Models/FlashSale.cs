namespace Live.Client.Models;

/// <summary>PROTOCOL.md's <c>FlashSale</c>: the argument of <c>FlashSaleStarted</c> and <c>FlashSaleEnded</c>.</summary>
public sealed record FlashSale
{
    public string Id { get; init; } = "";

    public string RoomId { get; init; } = "";

    public Product Product { get; init; } = new();

    public decimal Price { get; init; }

    public int Quantity { get; init; }

    public int Remaining { get; init; }

    public int PerUserLimit { get; init; }

    /// <summary><see cref="SaleStatuses"/>: active, ended or soldOut.</summary>
    public string Status { get; init; } = "";

    public DateTimeOffset EndsAt { get; init; }

    /// <summary>The server's clock when this was sent: count down to <see cref="EndsAt"/> on it, not on the device's.</summary>
    public DateTimeOffset? ServerTime { get; init; }

    public long? Seq { get; init; }
}
