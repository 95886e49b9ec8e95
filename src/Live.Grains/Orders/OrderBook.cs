using Live.Contracts.Orders;

namespace Live.Grains.Orders;

/// <summary>
/// One user's orders in memory, oldest first, as the order book's ledger holds them: adding is idempotent by order id
/// (a sale's outbox may deliver an order twice), found and listed without a scan of the ids.
/// </summary>
/// <remarks>Used by one grain activation (one thread at a time): not thread-safe.</remarks>
internal sealed class OrderBook
{
    private readonly List<Order> _orders = [];
    private readonly Dictionary<string, Order> _byId = new(StringComparer.Ordinal);

    public int Count => _orders.Count;

    /// <summary>Whether an order with this id is already in the book.</summary>
    public bool Contains(string orderId) => _byId.ContainsKey(orderId);

    /// <summary>Adds <paramref name="order"/> at the end; false (and nothing changes) when its id is already in the book.</summary>
    public bool Add(Order order)
    {
        if (!_byId.TryAdd(order.Id, order))
        {
            return false;
        }

        _orders.Add(order);
        return true;
    }

    public Order? Find(string orderId) => _byId.GetValueOrDefault(orderId);

    /// <summary>The orders, newest first.</summary>
    public Order[] NewestFirst()
    {
        var newestFirst = new Order[_orders.Count];
        for (var i = 0; i < _orders.Count; i++)
        {
            newestFirst[i] = _orders[_orders.Count - 1 - i];
        }

        return newestFirst;
    }
}
