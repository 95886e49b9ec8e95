namespace Live.Contracts.Orders;

/// <summary>One user's orders, keyed by user id. Adding is idempotent by order id.</summary>
[Alias("live.IOrderBookGrain")]
public interface IOrderBookGrain : IGrainWithStringKey
{
    [Alias("Add")]
    Task AddAsync(Order order);

    /// <summary>The user's orders, newest first.</summary>
    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<Order>> ListAsync();

    [Alias("Find"), ReadOnly]
    Task<Order?> FindAsync(string orderId);
}
