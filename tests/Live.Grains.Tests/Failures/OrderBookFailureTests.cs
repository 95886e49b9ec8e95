using Live.Contracts.Orders;
using Live.Grains.Tests.Infrastructure;

namespace Live.Grains.Tests.Failures;

/// <summary>An order book never answers "added" for an order its storage does not have.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OrderBookFailureTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task AnOrderWhoseWriteFailedIsWrittenByTheRetry()
    {
        var user = Scenario.NewUser();
        var book = Grains.GetGrain<IOrderBookGrain>(user.UserId);
        var order = OrderOf(user.UserId);
        var fault = fixture.Faults.FailNext(StateNames.OrderBook, user.UserId);

        await Reloads.FailsOnStorageAsync(() => book.AddAsync(order));
        Assert.Equal(1, fault.Hits);
        await Reloads.RetryAsync("the order book to take the order after the fault", () => book.AddAsync(order));

        // What the retry answered is in storage: a new activation reads it back.
        await fixture.Cluster.DeactivateAsync(book);
        Assert.Equal(order.Id, Assert.Single(await book.ListAsync()).Id);
    }

    [Fact]
    public async Task AFailedWriteLeavesNoOrderInTheReloadedBook()
    {
        var user = Scenario.NewUser();
        var book = Grains.GetGrain<IOrderBookGrain>(user.UserId);
        fixture.Faults.FailNext(StateNames.OrderBook, user.UserId);

        await Reloads.FailsOnStorageAsync(() => book.AddAsync(OrderOf(user.UserId)));

        Assert.Empty(await Reloads.RetryAsync("the order book after the failed write", () => book.ListAsync()));
    }

    private static Order OrderOf(string userId) => Orders.OrderBookTests.OrderOf(userId);
}
