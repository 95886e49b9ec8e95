using Live.Contracts.Orders;
using Live.Grains.FlashSales;

namespace Live.Grains.Tests.FlashSales;

public sealed class OrderOutboxTests
{
    private static readonly Order First = OrderOf("ord_1");
    private static readonly Order Second = OrderOf("ord_2");
    private static readonly Order Third = OrderOf("ord_3");

    private readonly List<Order> _pending = [First, Second, Third];
    private readonly List<string> _offered = [];
    private readonly OrderOutbox _outbox;

    public OrderOutboxTests() => _outbox = new OrderOutbox(() => _pending);

    [Fact]
    public void OrdersArePendingUntilEachIsAcknowledged()
    {
        Assert.True(_outbox.HasPending);

        Assert.True(_outbox.Acknowledge(Second.Id));
        Assert.True(_outbox.Acknowledge(First.Id));

        Assert.Equal([Third], _pending);
        Assert.True(_outbox.HasPending);

        Assert.True(_outbox.Acknowledge(Third.Id));

        Assert.Empty(_pending);
        Assert.False(_outbox.HasPending);
    }

    [Fact]
    public void AcknowledgingAnOrderNoLongerPendingChangesNothing()
    {
        Assert.True(_outbox.Acknowledge(First.Id));

        Assert.False(_outbox.Acknowledge(First.Id));
        Assert.False(_outbox.Acknowledge("ord_elsewhere"));
        Assert.Equal([Second, Third], _pending);
    }

    [Fact]
    public async Task ADeliveryLoopOffersThePendingOrdersOldestFirst()
    {
        await _outbox.DeliverAsync(order => Task.FromResult(Offer(order) && _outbox.Acknowledge(order.Id)));

        Assert.Equal(["ord_1", "ord_2", "ord_3"], _offered);
        Assert.False(_outbox.HasPending);
    }

    [Fact]
    public async Task ADeliveryLoopStopsAtTheFirstOrderNotDelivered()
    {
        await _outbox.DeliverAsync(order => Task.FromResult(Offer(order) && order != Second && _outbox.Acknowledge(order.Id)));

        Assert.Equal(["ord_1", "ord_2"], _offered);
        Assert.Equal([Second, Third], _pending);
    }

    [Fact]
    public async Task ALoopStartedWhileAnotherRunsDoesNothing()
    {
        var firstDelivery = new TaskCompletionSource<bool>();
        var running = _outbox.DeliverAsync(order => Offer(order) ? firstDelivery.Task : throw new InvalidOperationException());

        await _outbox.DeliverAsync(order => throw new InvalidOperationException("a second loop offered " + order.Id));

        Assert.Equal(["ord_1"], _offered);
        Assert.False(running.IsCompleted);

        firstDelivery.SetResult(false);
        await running;
    }

    [Fact]
    public async Task ALoopCanRunAgainOnceThePreviousOneEndedEvenByAnException()
    {
        await Assert.ThrowsAsync<IOException>(() => _outbox.DeliverAsync(order => Offer(order) ? throw new IOException() : Task.FromResult(true)));
        await _outbox.DeliverAsync(order => Task.FromResult(Offer(order) && _outbox.Acknowledge(order.Id)));

        Assert.Equal(["ord_1", "ord_1", "ord_2", "ord_3"], _offered);
        Assert.Empty(_pending);
    }

    [Fact]
    public async Task AnOrderAddedDuringALoopWaitsForTheNextLoop()
    {
        var added = OrderOf("ord_4");
        await _outbox.DeliverAsync(order =>
        {
            if (order == First)
            {
                _pending.Add(added);
            }

            return Task.FromResult(Offer(order) && _outbox.Acknowledge(order.Id));
        });

        Assert.Equal(["ord_1", "ord_2", "ord_3"], _offered);
        Assert.Equal([added], _pending);
    }

    [Fact]
    public async Task AnOrderNotYetWrittenIsNotOfferedAndHoldsBackTheOrdersAfterIt()
    {
        _outbox.Unwritten(Second.Id);
        _outbox.Unwritten(Third.Id);

        await _outbox.DeliverAsync(order => Task.FromResult(Offer(order) && _outbox.Acknowledge(order.Id)));

        Assert.Equal(["ord_1"], _offered);
        Assert.Equal([Second, Third], _pending);
        Assert.True(_outbox.HasPending);
    }

    [Fact]
    public async Task AnOrderIsOfferedOnceItsDecisionIsWritten()
    {
        _outbox.Unwritten(First.Id);
        await _outbox.DeliverAsync(order => Task.FromResult(Offer(order) && _outbox.Acknowledge(order.Id)));
        Assert.Empty(_offered);

        _outbox.Written(First.Id);
        await _outbox.DeliverAsync(order => Task.FromResult(Offer(order) && _outbox.Acknowledge(order.Id)));

        Assert.Equal(["ord_1", "ord_2", "ord_3"], _offered);
        Assert.Empty(_pending);
    }

    [Fact]
    public void TheListIsReadFromTheCurrentStateEachTime()
    {
        var state = new FlashSaleState();
        var outbox = new OrderOutbox(() => state.Outbox);
        Assert.False(outbox.HasPending);

        state = new FlashSaleState { Outbox = [First] };

        Assert.True(outbox.HasPending);
        Assert.True(outbox.Acknowledge(First.Id));
        Assert.Empty(state.Outbox);
    }

    private bool Offer(Order order)
    {
        _offered.Add(order.Id);
        return true;
    }

    private static Order OrderOf(string id) => new()
    {
        Id = id,
        UserId = "user_ann",
        Items = new[] { new OrderItem { ProductId = "prod_scarf", Quantity = 1, Price = 99m } },
        Total = 99m,
        Status = OrderStatus.Confirmed,
        SaleId = "sale_1",
        CreatedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero),
    };
}
