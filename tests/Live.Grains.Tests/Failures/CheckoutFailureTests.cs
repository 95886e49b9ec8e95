using Live.Contracts;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Live.Grains.Carts;
using Live.Grains.Tests.Infrastructure;
using Live.Testing;

namespace Live.Grains.Tests.Failures;

/// <summary>Checkout and the other written grains never answer from memory that storage does not have.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CheckoutFailureTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task ACheckoutWhoseCompletionFailedIsFinishedByItsRetry()
    {
        var (user, product, cart) = await CartOfTwoUnitsAsync();

        // The checkout's first write (its intent) goes through; the one that completes it fails.
        fixture.Faults.FailNext(StateNames.Cart, user.UserId, after: 1);
        await Reloads.FailsOnStorageAsync(() => cart.CheckoutAsync("pay-1"));

        var retried = await Reloads.RetryAsync("the retried checkout", () => cart.CheckoutAsync("pay-1"));
        await fixture.Cluster.DeactivateAsync(cart);
        var again = await cart.CheckoutAsync("pay-1");

        Assert.False(again.IsNew);
        Assert.Equal(retried.Order.Id, again.Order.Id);
        Assert.Equal(retried.Order.Id, Assert.Single(await Grains.GetGrain<IOrderBookGrain>(user.UserId).ListAsync()).Id);
        Assert.Empty((await cart.GetAsync()).Items);
        Assert.Equal(8, await Grains.StockOfAsync(product.Id));
    }

    [Fact]
    public async Task ACheckoutWhoseOrderWasNotWrittenIsUndoneAndConfirmsNothing()
    {
        var (user, product, cart) = await CartOfTwoUnitsAsync();
        fixture.Faults.FailNext(StateNames.OrderBook, user.UserId);

        await Reloads.FailsOnStorageAsync(() => cart.CheckoutAsync("pay-1"));
        await fixture.Cluster.DeactivateAsync(cart);

        // The next activation finds the checkout's intent without its order, and undoes the reservation.
        Assert.Single((await cart.GetAsync()).Items);
        Assert.Empty(await Reloads.RetryAsync("the order book", () => Grains.GetGrain<IOrderBookGrain>(user.UserId).ListAsync()));
        Assert.Equal(10, await Grains.StockOfAsync(product.Id));
        var retried = await cart.CheckoutAsync("pay-1");
        Assert.True(retried.IsNew);
        Assert.Equal(retried.Order.Id, Assert.Single(await Grains.GetGrain<IOrderBookGrain>(user.UserId).ListAsync()).Id);
        Assert.Equal(8, await Grains.StockOfAsync(product.Id));
    }

    /// <remarks>
    /// Before, the checkout's reservation stayed held (stored as pending) until the buyer's next checkout, and past the
    /// idempotency window the product dropped it with its units.
    /// </remarks>
    [Fact]
    public async Task ACheckoutWhoseOrderWasNotWrittenGivesItsUnitsBackWithoutAnotherCallOfTheBuyer()
    {
        var (user, product, cart) = await CartOfTwoUnitsAsync();
        var fault = fixture.Faults.FailNext(StateNames.OrderBook, user.UserId);

        await Reloads.FailsOnStorageAsync(() => cart.CheckoutAsync("pay-1"));
        Assert.Equal(1, fault.Hits);

        // The cart is not called again: its checkout's failure (or its retry timer, on the fake clock) gives the units back.
        await UnitsBackAndTheRetryBuysAsync(cart, product.Id, "the failed checkout's units back in stock");
    }

    [Fact]
    public async Task ACheckoutWhoseUndoFailsTooIsUndoneByTheCartsRetryTimer()
    {
        var (user, product, cart) = await CartOfTwoUnitsAsync();
        fixture.Faults.FailNext(StateNames.OrderBook, user.UserId);

        // The reservation's write goes through; the release that would undo the checkout at once fails.
        var release = fixture.Faults.FailNext(StateNames.Product, product.Id, after: 1);
        await Reloads.FailsOnStorageAsync(() => cart.CheckoutAsync("pay-1"));
        Assert.Equal(1, release.Hits);
        Assert.Equal(8, await Reloads.RetryAsync("the product after its failed release", () => Grains.StockOfAsync(product.Id)));

        // Nobody calls the cart: its timer (on the fake clock) tries again and gives the units back.
        await UnitsBackAndTheRetryBuysAsync(cart, product.Id, "the units back once the cart's timer tried again");
    }

    [Fact]
    public async Task ACheckoutLeftPendingByALostActivationIsUndoneByTheCartsReminder()
    {
        var (user, product, cart) = await CartOfTwoUnitsAsync();
        fixture.Faults.FailNext(StateNames.OrderBook, user.UserId);
        fixture.Faults.FailNext(StateNames.Product, product.Id, after: 1);
        await Reloads.FailsOnStorageAsync(() => cart.CheckoutAsync("pay-1"));

        // The activation that would retry every 5 s is lost (as with its silo), and nobody calls the cart again.
        await fixture.Cluster.DeactivateAsync(cart);
        Assert.Equal(8, await Reloads.RetryAsync("the product after its failed release", () => Grains.StockOfAsync(product.Id)));

        // The reminder, on the fake clock, wakes the cart, which gives the units back; then it removes itself. A minute
        // of the shared clock per second of waiting, at most 15 in each wait (the fixture's tests move it by minutes).
        await Eventually.GetAsync(
            "the units back once the cart's reminder woke it",
            () =>
            {
                fixture.Advance(CartGrain.ResumeReminderPeriod);
                return Grains.StockOfAsync(product.Id);
            },
            stock => stock == 10,
            TimeSpan.FromSeconds(15),
            TimeSpan.FromSeconds(1),
            retryOn: _ => true);
        await Eventually.GetAsync(
            "the reminder removed once nothing is pending",
            async () =>
            {
                fixture.Advance(CartGrain.ResumeReminderPeriod);
                return await fixture.Reminders.ReadRow(cart.GetGrainId(), CartGrain.ResumeReminder);
            },
            row => row is null,
            TimeSpan.FromSeconds(15),
            TimeSpan.FromSeconds(1),
            retryOn: _ => true);
        Assert.True((await cart.CheckoutAsync("pay-1")).IsNew);
        Assert.Equal(8, await Grains.StockOfAsync(product.Id));
    }

    [Fact]
    public async Task ARoomWhoseWriteFailedAnswersWhatStorageHas()
    {
        var (room, roomId, hostId) = await Grains.CreateRoomAsync();
        fixture.Faults.FailNext(StateNames.Room, roomId);

        await Reloads.FailsOnStorageAsync(() => room.StartAsync(hostId));

        Assert.Equal(RoomStatus.Scheduled, (await Reloads.RetryAsync("the room after the failed start", () => room.GetRoomAsync())).Status);
        await room.StartAsync(hostId);
        Assert.Equal(RoomStatus.Live, (await room.GetRoomAsync()).Status);
    }

    /// <summary>A new user's cart holding 2 units of a new product with 10 in stock.</summary>
    private async Task<(Caller User, Product Product, ICartGrain Cart)> CartOfTwoUnitsAsync()
    {
        var user = Scenario.NewUser();
        var product = await Grains.CreateProductAsync(stock: 10);
        var cart = Grains.GetGrain<ICartGrain>(user.UserId);
        await cart.AddItemAsync(product.Id, 2, roomId: null);
        return (user, product, cart);
    }

    /// <summary>
    /// Waits, moving the fake clock a cart retry at a time and calling nothing of the cart, until a failed checkout's
    /// 2 units are back in stock; then the cart still holds them and the retry of the checkout buys them.
    /// </summary>
    private async Task UnitsBackAndTheRetryBuysAsync(ICartGrain cart, string productId, string what)
    {
        await Eventually.GetAsync(
            what,
            () =>
            {
                fixture.Advance(CartGrain.ResumeRetry);
                return Grains.StockOfAsync(productId);
            },
            stock => stock == 10,
            TimeSpan.FromSeconds(10),
            retryOn: _ => true);
        Assert.Single((await cart.GetAsync()).Items);
        Assert.True((await cart.CheckoutAsync("pay-1")).IsNew);
        Assert.Equal(8, await Grains.StockOfAsync(productId));
    }
}
