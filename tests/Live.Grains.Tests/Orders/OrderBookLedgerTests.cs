using Live.Contracts;
using Live.Contracts.Orders;
using Live.Grains.Orders;
using Live.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Live.Grains.Tests.Orders;

/// <summary>
/// An order book is an append-only ledger: each order added is one entry, and a book stored whole by an earlier
/// version becomes the ledger's first entries once.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class OrderBookLedgerTests(ClusterFixture fixture)
{
    private static readonly Serializer<Order> Orders =
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer<Order>>();

    [Fact]
    public async Task EachOrderAddedIsOneEntryAndARedeliveryAddsNone()
    {
        var user = Scenario.NewUser();
        var book = fixture.Client.GetGrain<IOrderBookGrain>(user.UserId);
        var first = OrderBookTests.OrderOf(user.UserId);
        var second = OrderBookTests.OrderOf(user.UserId);

        await book.AddAsync(first);
        await book.AddAsync(second);
        await book.AddAsync(first);

        var entries = await fixture.Ledgers.ReadAsync(OrderBookGrain.LedgerName, user.UserId, 0, 10);
        Assert.Equal([1L, 2L], entries.Select(e => e.Position));
        await fixture.Cluster.DeactivateAsync(book);
        Assert.Equal([second.Id, first.Id], (await book.ListAsync()).Select(o => o.Id));
        Assert.Equal(first.Id, (await book.FindAsync(first.Id))?.Id);
    }

    [Fact]
    public async Task ABookStoredWholeBecomesTheLedgersFirstEntries()
    {
        var user = Scenario.NewUser();
        var book = fixture.Client.GetGrain<IOrderBookGrain>(user.UserId);
        var old = new[] { OrderBookTests.OrderOf(user.UserId), OrderBookTests.OrderOf(user.UserId) };
        var storage = ((InProcessSiloHandle)fixture.Cluster.Silos[0]).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Live);
        await storage.WriteStateAsync(StateNames.OrderBook, book.GetGrainId(), new GrainState<OrderBookState>(new OrderBookState { Orders = [.. old] }));

        Assert.Equal([old[1].Id, old[0].Id], (await book.ListAsync()).Select(o => o.Id));
        var added = OrderBookTests.OrderOf(user.UserId);
        await book.AddAsync(added);
        await book.AddAsync(old[0]);

        // The old orders are entries 1 and 2, the new one follows; a new activation reads the ledger alone.
        Assert.Equal(3, (await fixture.Ledgers.ReadAsync(OrderBookGrain.LedgerName, user.UserId, 0, 10)).Count);
        await fixture.Cluster.DeactivateAsync(book);
        Assert.Equal([added.Id, old[1].Id, old[0].Id], (await book.ListAsync()).Select(o => o.Id));
    }

    /// <remarks>A sale puts its orders into the book's ledger without activating the book, so an old book may first be read after that.</remarks>
    [Fact]
    public async Task ABookStoredWholeJoinsTheLedgerAfterAnOrderASaleAppendedThereFirst()
    {
        var user = Scenario.NewUser();
        var book = fixture.Client.GetGrain<IOrderBookGrain>(user.UserId);
        var old = new[] { OrderBookTests.OrderOf(user.UserId), OrderBookTests.OrderOf(user.UserId) };
        var storage = ((InProcessSiloHandle)fixture.Cluster.Silos[0]).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Live);
        await storage.WriteStateAsync(StateNames.OrderBook, book.GetGrainId(), new GrainState<OrderBookState>(new OrderBookState { Orders = [.. old] }));
        var bought = OrderBookTests.OrderOf(user.UserId);
        await fixture.Ledgers.AppendAsync("sale", Ids.New("sale"), 0, [], [new(OrderBookGrain.LedgerName, user.UserId, Orders.SerializeToArray(bought))]);

        Assert.Equal([old[1].Id, old[0].Id, bought.Id], (await book.ListAsync()).Select(o => o.Id));

        // Once: a new activation finds the old record gone and the ledger as it was.
        await fixture.Cluster.DeactivateAsync(book);
        Assert.Equal([old[1].Id, old[0].Id, bought.Id], (await book.ListAsync()).Select(o => o.Id));
        Assert.Equal(3, (await fixture.Ledgers.ReadAsync(OrderBookGrain.LedgerName, user.UserId, 0, 10)).Count);
        var left = new GrainState<OrderBookState>();
        await storage.ReadStateAsync(StateNames.OrderBook, book.GetGrainId(), left);
        Assert.False(left.RecordExists);
    }
}
