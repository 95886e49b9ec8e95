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

    [Fact]
    public void PagesGoFromTheNewestToTheOldestAndSayWhereTheNextStarts()
    {
        var book = new OrderBook();
        var orders = Enumerable.Range(0, 5).Select(_ => OrderOf("user_a")).ToArray();
        foreach (var order in orders)
        {
            book.Add(order);
        }

        var first = book.Page(before: null, limit: 2, maxLimit: 10);
        Assert.Equal([orders[4].Id, orders[3].Id], first.Orders.Select(o => o.Id));
        Assert.Equal(orders[3].Id, first.Next);

        var second = book.Page(first.Next, 2, 10);
        Assert.Equal([orders[2].Id, orders[1].Id], second.Orders.Select(o => o.Id));

        var last = book.Page(second.Next, 2, 10);
        Assert.Equal([orders[0].Id], last.Orders.Select(o => o.Id));
        Assert.Null(last.Next);

        // A page that ends exactly at the oldest order says so; the oldest order has nothing before it.
        Assert.Null(book.Page(orders[2].Id, 2, 10).Next);
        Assert.Empty(book.Page(orders[0].Id, 2, 10).Orders);
        Assert.Empty(new OrderBook().Page(null, 2, 10).Orders);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(11)]
    public void APageOutsideTheLimitsOrAfterAnUnknownOrderIsRefused(int limit)
    {
        var book = new OrderBook();
        book.Add(OrderOf("user_a"));

        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<LiveException>(() => book.Page(null, limit, 10)).Code);
        Assert.Equal(ErrorCodes.InvalidArgument, Assert.Throws<LiveException>(() => book.Page(Ids.New("ord"), 1, 10)).Code);
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
