using Live.Contracts;
using Live.Contracts.Orders;

namespace Live.Grains.Orders;

internal sealed class OrderBookGrain : Grain, IOrderBookGrain, IIncomingGrainCallFilter
{
    private readonly IPersistentState<OrderBookState> _state;
    private readonly StateWriter _writer;

    public OrderBookGrain([PersistentState(StateNames.OrderBook, StorageNames.Live)] IPersistentState<OrderBookState> state)
    {
        _state = state;
        _writer = new StateWriter(_ => state.WriteStateAsync(), DeactivateOnIdle, $"order book {this.GetPrimaryKeyString()}");
    }

    /// <summary>After a failed write this activation answers nothing: the next call reloads from storage.</summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        _writer.ThrowIfBroken();
        return context.Invoke();
    }

    async Task IOrderBookGrain.AddAsync(Order order)
    {
        if (order.UserId != this.GetPrimaryKeyString())
        {
            throw LiveException.Invalid("order belongs to another user");
        }

        if (_state.State.Orders.Exists(o => o.Id == order.Id))
        {
            return;
        }

        // An order is "already added" only once stored: a failed write takes it out again (and the activation goes),
        // so a redelivery writes it instead of finding it in memory and answering success.
        _state.State.Orders.Add(order);
        try
        {
            await _writer.WriteAsync();
        }
        catch
        {
            _state.State.Orders.Remove(order);
            throw;
        }
    }

    Task<IReadOnlyList<Order>> IOrderBookGrain.ListAsync()
    {
        var orders = _state.State.Orders;
        var newestFirst = new Order[orders.Count];
        for (var i = 0; i < orders.Count; i++)
        {
            newestFirst[i] = orders[orders.Count - 1 - i];
        }

        return Task.FromResult<IReadOnlyList<Order>>(newestFirst);
    }

    Task<Order?> IOrderBookGrain.FindAsync(string orderId) =>
        Task.FromResult(_state.State.Orders.Find(o => o.Id == orderId));
}
