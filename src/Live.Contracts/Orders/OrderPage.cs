namespace Live.Contracts.Orders;

/// <summary>
/// A page of a user's orders, newest first (RedLive addition, answered by <c>GET /api/orders?limit=</c> as an
/// <c>Order[]</c> with the next page in its <c>Link</c> header). <see cref="Next"/> is the <c>before</c> of the next
/// page (the id of this page's oldest order), null once this page reached the oldest order.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.OrderPage")]
public sealed record OrderPage
{
    [Id(0)] public required IReadOnlyList<Order> Orders { get; init; }
    [Id(1)] public string? Next { get; init; }
}
