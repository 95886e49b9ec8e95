using Live.Contracts;
using Live.Contracts.Orders;
using Live.Grains.Orders;

namespace Live.Grains.Tests.Orders;

/// <summary>The order book in memory: idempotent by order id, listed newest first, found by id.</summary>
public sealed class OrderBookTests
{
    [Fact]
    public void OrdersAreListedNewestFirst()
    {
        var book = new OrderBook();
        var first = OrderOf("user_a");
        var second = OrderOf("user_a");

        Assert.True(book.Add(first));
        Assert.True(book.Add(second));

        Assert.Equal([second.Id, first.Id], book.NewestFirst().Select(o => o.Id));
        Assert.Equal(2, book.Count);
    }

    [Fact]
    public void AnOrderAddedTwiceIsKeptOnce()
    {
        var book = new OrderBook();
        var order = OrderOf("user_a");

        Assert.True(book.Add(order));
        Assert.False(book.Add(order with { Total = 99m }));

        Assert.Equal(10m, Assert.Single(book.NewestFirst()).Total);
        Assert.True(book.Contains(order.Id));
    }

    [Fact]
    public void AnOrderIsFoundByIdAndAnUnknownIdIsNot()
    {
        var book = new OrderBook();
        var order = OrderOf("user_a");
        book.Add(order);

        Assert.Same(order, book.Find(order.Id));
        Assert.Null(book.Find(Ids.New("ord")));
        Assert.False(book.Contains(Ids.New("ord")));
    }

    internal static Order OrderOf(string userId) => new()
    {
        Id = Ids.New("ord"),
        UserId = userId,
        Items = [new OrderItem { ProductId = Ids.New("prod"), Quantity = 1, Price = 10m }],
        Total = 10m,
        Status = OrderStatus.Confirmed,
        CreatedAt = DateTimeOffset.UnixEpoch,
    };
}
