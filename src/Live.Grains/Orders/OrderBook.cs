using Live.Contracts;
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
    // Each order's place in _orders, so that a page starts at an order without a scan.
    private readonly Dictionary<string, int> _indexById = new(StringComparer.Ordinal);

    public int Count => _orders.Count;

    /// <summary>Whether an order with this id is already in the book.</summary>
    public bool Contains(string orderId) => _indexById.ContainsKey(orderId);

    /// <summary>Adds <paramref name="order"/> at the end; false (and nothing changes) when its id is already in the book.</summary>
    public bool Add(Order order)
    {
        if (!_indexById.TryAdd(order.Id, _orders.Count))
        {
            return false;
        }

        _orders.Add(order);
        return true;
    }

    public Order? Find(string orderId) => _indexById.TryGetValue(orderId, out var index) ? _orders[index] : null;

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

    /// <summary>
    /// Up to <paramref name="limit"/> orders, newest first, older than the order <paramref name="before"/> (from the
    /// newest when null), and the id to ask for the next page with (null when none is older).
    /// </summary>
    /// <exception cref="LiveException"><c>invalid_argument</c>: an unknown <paramref name="before"/>, or a limit outside 1 to <paramref name="maxLimit"/>.</exception>
    public OrderPage Page(string? before, int limit, int maxLimit)
    {
        if (limit < 1 || limit > maxLimit)
        {
            throw LiveException.Invalid($"limit must be 1 to {maxLimit}");
        }

        var start = _orders.Count;
        if (before is not null && !_indexById.TryGetValue(before, out start))
        {
            throw LiveException.Invalid($"before: no order {before} among the user's orders");
        }

        var count = Math.Min(limit, start);
        var page = new Order[count];
        for (var i = 0; i < count; i++)
        {
            page[i] = _orders[start - 1 - i];
        }

        return new OrderPage { Orders = page, Next = start - count > 0 ? page[^1].Id : null };
    }
}
