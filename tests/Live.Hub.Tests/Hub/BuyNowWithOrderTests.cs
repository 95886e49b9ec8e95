using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Hub.Realtime;
using Live.Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Hub.Tests.Hub;

/// <summary>
/// <c>BuyNowWithOrder</c> (PROTOCOL v1.6): the answer carries the new order and the buying connection is not sent its
/// <c>PurchaseConfirmed</c>, while the buyer's other connections are; <c>BuyNow</c> (v1) is unchanged beside it.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class BuyNowWithOrderTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task TheAnswerCarriesTheOrderWhichOnlyTheBuyersOtherConnectionsAreSent(WireProtocol protocol)
    {
        var scenario = new HostScenario(Server, $"host-with-order-{protocol}");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 5, perUserLimit: 3);
        var token = Server.Token($"buyer-with-order-{protocol}", "viewer", "Mei");
        await using var buying = await Server.ConnectAsync(token, protocol);
        await using var phone = await Server.ConnectAsync(token, protocol);
        var buyingConfirmed = new EventProbe<Order>(buying, nameof(ILiveClient.PurchaseConfirmed));
        var phoneConfirmed = new EventProbe<Order>(phone, nameof(ILiveClient.PurchaseConfirmed));

        var first = await buying.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNowWithOrder), sale.Id, 1, "with-1");
        Assert.Equal(PurchaseStatus.Confirmed, first.Status);
        Assert.Equal(4, first.Remaining);
        var order = Assert.IsType<Order>(first.Order);
        Assert.Equal(first.OrderId, order.Id);
        Assert.Equal(sale.Id, order.SaleId);
        Assert.Equal(59.90m, order.Total);
        Assert.Equal(order.Id, (await phoneConfirmed.WaitAsync(what: "the confirmation on the buyer's phone")).Id);

        // A v1 BuyNow on the same connection is sent its confirmation: the first this connection hears of is that one,
        // so none came for the order its answer carried (one connection's events arrive in order).
        var second = await buying.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNow), sale.Id, 1, "v1-2");
        Assert.Null(second.Order);
        Assert.Equal(second.OrderId, (await buyingConfirmed.WaitAsync(what: "the v1 purchase's confirmation")).Id);
        Assert.Empty(buyingConfirmed.Drain());
        Assert.Equal(second.OrderId, (await phoneConfirmed.WaitAsync(o => o.Id == second.OrderId, what: "the second confirmation on the phone")).Id);

        // A replay answers the same decision and makes no new order: nothing is sent again, and the answer carries the
        // order once more (the client sends again when the first answer was lost with its connection, which was the
        // buying connection's only notice of the order).
        var replay = await buying.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNowWithOrder), sale.Id, 1, "with-1");
        Assert.Equal(first with { Order = null }, replay with { Order = null });
        var again = Assert.IsType<Order>(replay.Order);
        Assert.Equal((order.Id, order.Total, order.SaleId, order.CreatedAt, order.Items.Count), (again.Id, again.Total, again.SaleId, again.CreatedAt, again.Items.Count));
        Assert.Empty(buyingConfirmed.Drain());

        // BuyNow's replay stays as v1 answers it: no order.
        Assert.Null((await buying.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNow), sale.Id, 1, "v1-2")).Order);
        var refused = await buying.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNowWithOrder), sale.Id, 2, "with-3");
        Assert.Equal(PurchaseStatus.LimitExceeded, refused.Status);
        Assert.Null(refused.Order);
    }

    [Fact]
    public async Task ItIsRefusedLikeBuyNow()
    {
        var scenario = new HostScenario(Server, "host-with-order-refusals");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 5, perUserLimit: 2);
        await using var anonymous = await Server.ConnectAsync();
        await using var buyer = await Server.ConnectAsync(Server.Token("buyer-with-order-refusals"));

        Assert.StartsWith("unauthenticated: ", await HubErrors.RefusalAsync(() => anonymous.InvokeAsync<object>(nameof(LiveHub.BuyNowWithOrder), sale.Id, 1, "r1")));
        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => buyer.InvokeAsync<object>(nameof(LiveHub.BuyNowWithOrder), sale.Id, 0, "r1")));
        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => buyer.InvokeAsync<object>(nameof(LiveHub.BuyNowWithOrder), sale.Id, 1, "")));
        Assert.StartsWith("not_found: ", await HubErrors.RefusalAsync(() => buyer.InvokeAsync<object>(nameof(LiveHub.BuyNowWithOrder), "sale_nope", 1, "r1")));

        // Refusals change nothing: the sale still has all its units.
        var result = await buyer.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNowWithOrder), sale.Id, 1, "r1");
        Assert.Equal(4, result.Remaining);
    }
}
