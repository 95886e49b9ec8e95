using Live.Contracts.Orders;

namespace Live.Grains.FlashSales;

/// <summary>
/// The confirmed orders a sale still owes the buyers' order books. The list is the sale's stored state (an order
/// joins it in its purchase's write), so it survives a crash; what this adds is one delivery loop at a time, so two
/// loops never offer the same orders at once.
/// </summary>
/// <param name="pending">Reads the list from the current state each time: the state object is loaded after the grain is built.</param>
internal sealed class OrderOutbox(Func<List<Order>> pending)
{
    private bool _delivering;

    public bool HasPending => pending().Count > 0;

    /// <summary>
    /// Drops an order its order book has taken, by id. False when it was no longer pending (a purchase and a delivery
    /// loop both delivered it), so the state did not change.
    /// </summary>
    public bool Acknowledge(Order order) => pending().RemoveAll(o => o.Id == order.Id) > 0;

    /// <summary>
    /// Offers the pending orders to <paramref name="deliver"/>, oldest first, and stops at the first it does not
    /// deliver: the rest wait for the next loop. Orders added meanwhile wait too (their purchase delivers them).
    /// Does nothing while another loop runs.
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
                if (!await deliver(order))
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
