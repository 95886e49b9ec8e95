using Live.Contracts;
using Live.Contracts.Orders;

namespace Live.Grains.Orders;

internal sealed class OrderBookGrain(
    [PersistentState(StateNames.OrderBook, StorageNames.Live)] IPersistentState<OrderBookState> state)
    : Grain, IOrderBookGrain
{
    async Task IOrderBookGrain.AddAsync(Order order)
    {
        if (order.UserId != this.GetPrimaryKeyString())
        {
            throw LiveException.Invalid("order belongs to another user");
        }

        if (state.State.Orders.Exists(o => o.Id == order.Id))
        {
            return;
        }

        state.State.Orders.Add(order);
        await state.WriteStateAsync();
    }

    Task<IReadOnlyList<Order>> IOrderBookGrain.ListAsync()
    {
        var orders = state.State.Orders;
        var newestFirst = new Order[orders.Count];
        for (var i = 0; i < orders.Count; i++)
        {
            newestFirst[i] = orders[orders.Count - 1 - i];
        }

        return Task.FromResult<IReadOnlyList<Order>>(newestFirst);
    }

    Task<Order?> IOrderBookGrain.FindAsync(string orderId) =>
        Task.FromResult(state.State.Orders.Find(o => o.Id == orderId));
}
