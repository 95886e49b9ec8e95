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

    /// <summary>
    /// Up to <paramref name="limit"/> orders, newest first, older than the order <paramref name="before"/> (from the
    /// newest when null). <c>invalid_argument</c> when <paramref name="before"/> is not one of the user's orders or the
    /// limit is outside 1 to <see cref="MaxPage"/>.
    /// </summary>
    [Alias("ListPage"), ReadOnly]
    Task<OrderPage> ListPageAsync(string? before, int limit);

    /// <summary>The largest page <see cref="ListPageAsync"/> answers.</summary>
    const int MaxPage = 200;

    [Alias("Find"), ReadOnly]
    Task<Order?> FindAsync(string orderId);
}
