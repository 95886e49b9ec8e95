namespace Live.Client.Models;

public sealed record OrderItem
{
    public string ProductId { get; init; } = "";

    public int Quantity { get; init; }

    public decimal Price { get; init; }
}
