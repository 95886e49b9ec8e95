using Live.Contracts.Orders;

namespace Live.Grains.FlashSales;

/// <summary>
/// The confirmed orders a sale still owes the buyers' order books. The list is part of the sale's state (an order
/// joins it when its decision is applied, and is stored with that decision's append), so it survives a crash; what
/// this adds is one delivery loop at a time, so two loops never offer the same orders at once, and that an order is
/// offered only once its decision is written: the state in memory runs ahead of storage while an append is in
/// flight, and an order delivered from there would stay in a buyer's order book after a failed append, with no
/// confirmation given for it and its units sold again by the reloaded sale.
/// </summary>
/// <param name="pending">Reads the list from the current state each time: the state object is loaded after the grain is built.</param>
internal sealed class OrderOutbox(Func<List<Order>> pending)
{
    private readonly HashSet<string> _unwritten = new(StringComparer.Ordinal);
    private bool _delivering;

    public bool HasPending => pending().Count > 0;

    /// <summary>The order's decision is applied in memory but not yet in storage: no loop offers it until <see cref="Written"/>.</summary>
    public void Unwritten(string orderId) => _unwritten.Add(orderId);

    /// <summary>The order's decision is in storage: loops may offer it.</summary>
    public void Written(string orderId) => _unwritten.Remove(orderId);

    /// <summary>
    /// Drops an order its order book has taken, by id. False when it was no longer pending (a delivery loop and the
    /// append that stored the order both reported it), so the state did not change.
    /// </summary>
    public bool Acknowledge(string orderId)
    {
        // Orders are delivered about in the order they were confirmed, so the one acknowledged is near the front: a
        // search that stops there, not a pass over every order still owed (a rush owes hundreds at once).
        var list = pending();
        var index = list.FindIndex(o => o.Id == orderId);
        if (index < 0)
        {
            return false;
        }

        list.RemoveAt(index);
        return true;
    }

    /// <summary>
    /// Offers the pending orders to <paramref name="deliver"/>, oldest first, and stops at the first it does not
    /// deliver or that is not yet written: the rest wait for the next loop. Orders added meanwhile wait too (their
    /// purchase delivers them). Does nothing while another loop runs.
    /// </summary>
    public async Task DeliverAsync(Func<Order, Task<bool>> deliver)
    {
        if (_delivering)
        {
            return;
        }

        _delivering = true;
        try
        {
            foreach (var order in pending().ToArray())
            {
                if (_unwritten.Contains(order.Id) || !await deliver(order))
                {
                    return;
                }
            }
        }
        finally
        {
            _delivering = false;
        }
    }
}
