using System.Reflection;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Hub.Delivery;
using Live.Hub.Realtime;
using Live.Hub.Sales;
using Live.Hub.Tests.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Live.Hub.Tests.Sales;

/// <summary>
/// <see cref="SaleHubHandler"/> on its own: a purchase the sale confirmed (its order stored) is answered
/// <c>confirmed</c> even when the buyer's <c>PurchaseConfirmed</c> cannot be sent (the backplane out of reach), never
/// as an error that would tell the buyer nothing is known to have been done.
/// </summary>
public sealed class PurchaseConfirmationTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AConfirmedPurchaseIsAnsweredWhenItsEventCannotBeSent(bool answerWithOrder)
    {
        var order = new Order
        {
            Id = "ord_1",
            UserId = "user-1",
            Items = [new OrderItem { ProductId = "prod_1", Quantity = 1, Price = 59.9m }],
            Total = 59.9m,
            Status = "confirmed",
            SaleId = "sale_1",
            CreatedAt = DateTimeOffset.UnixEpoch,
        };
        var sale = DispatchProxy.Create<IFlashSaleGrain, Sale>();
        ((Sale)(object)sale).Outcome = new PurchaseOutcome
        {
            Result = new PurchaseResult { Status = PurchaseStatus.Confirmed, Quantity = 1, Remaining = 9, OrderId = order.Id },
            NewOrder = order,
        };
        var sends = 0;
        var client = DispatchProxy.Create<ILiveClient, GatedHubContext.Proxy>();
        ((GatedHubContext.Proxy)(object)client).Send = _ =>
        {
            Interlocked.Increment(ref sends);
            throw new InvalidOperationException("the backplane is out of reach");
        };
        var clients = DispatchProxy.Create<IHubClients<ILiveClient>, GatedHubContext.Proxy>();
        ((GatedHubContext.Proxy)(object)clients).Route = () => client;

        var options = Options.Create(new LiveHubOptions());
        var presence = UnstartedPresence.Create(options);
        using var delivery = new LocalDelivery(Options.Create(new OutboxOptions()), Options.Create(new FrameBudgetOptions()), TimeProvider.System, new DeliveryMetrics());
        var handler = new SaleHubHandler(
            new PurchaseBatcher(_ => sale, options.Value),
            grains: null!, // read only for a replay's order; these purchases are new
            new UserRateLimiter(Options.Create(new RateLimitOptions())),
            delivery,
            new LiveHubMetrics(presence),
            NullLogger<SaleHubHandler>.Instance);

        var result = await handler.BuyNowAsync(new FakeHubCaller("conn-1", "user-1"), clients, "sale_1", 1, "req-1", answerWithOrder);

        Assert.Equal(1, sends);
        Assert.Equal((PurchaseStatus.Confirmed, order.Id), (result.Status, result.OrderId));
        Assert.Equal(answerWithOrder ? order : null, result.Order);
    }

    /// <summary>A sale grain whose every batch of purchases is answered <see cref="Outcome"/>.</summary>
    public class Sale : DispatchProxy
    {
        internal PurchaseOutcome? Outcome { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod!.Name switch
        {
            nameof(IFlashSaleGrain.BuyNowManyAsync) => Task.FromResult<IReadOnlyList<PurchaseReply>>(
                [.. ((IReadOnlyList<PurchaseRequest>)args![0]!).Select(_ => PurchaseReply.Of(Outcome!))]),
            _ => throw new NotSupportedException(targetMethod.Name),
        };
    }
}
