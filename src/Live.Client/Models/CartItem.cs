namespace Live.Client.Models;

public sealed record CartItem
{
    public string ProductId { get; init; } = "";

    public int Quantity { get; init; }

    public decimal Price { get; init; }

    public string? RoomId { get; init; }

    public string? Currency { get; init; }
}
