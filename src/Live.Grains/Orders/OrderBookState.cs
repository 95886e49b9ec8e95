using Live.Contracts.Orders;

namespace Live.Grains.Orders;

[GenerateSerializer, Alias("live.OrderBookState")]
internal sealed class OrderBookState
{
    /// <summary>Oldest first, as they were added.</summary>
    [Id(0)] public List<Order> Orders { get; set; } = [];
}
