using System.Net.Http.Json;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Live.Hub.Realtime;
using Live.Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Hub.Tests.Hub;

[Collection(ServerCollection.Name)]
public sealed class LiveLoopTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task TheWholeLoopWorksOverTheHub(WireProtocol protocol)
    {
        var scenario = new HostScenario(Server, $"host-{protocol}");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();

        await using var viewer = await Server.ConnectAsync(Server.Token($"viewer-{protocol}", "viewer", "Mei"), protocol);
        await using var other = await Server.ConnectAsync(Server.Token($"other-{protocol}", "viewer", "Lin"), protocol);
        var chat = new EventProbe<ChatMessage[]>(viewer, nameof(ILiveClient.ChatBatch));
        var pinned = new EventProbe<Product>(viewer, nameof(ILiveClient.ProductPinned));
        var saleStarted = new EventProbe<FlashSale>(viewer, nameof(ILiveClient.FlashSaleStarted));
        var saleUpdated = new EventProbe<FlashSaleProgress>(viewer, nameof(ILiveClient.FlashSaleUpdated));
        var confirmed = new EventProbe<Order>(viewer, nameof(ILiveClient.PurchaseConfirmed));
        var likes = new EventProbe<LikesUpdate>(viewer, nameof(ILiveClient.LikesUpdated));
        var ended = new EventProbe<Room>(viewer, nameof(ILiveClient.StreamEnded));
        var otherConfirmed = new EventProbe<Order>(other, nameof(ILiveClient.PurchaseConfirmed));

        // The buyer's second device has not joined the room, and still hears of the buyer's own purchases.
        await using var viewerPhone = await Server.ConnectAsync(Server.Token($"viewer-{protocol}", "viewer", "Mei"), protocol);
        var phoneConfirmed = new EventProbe<Order>(viewerPhone, nameof(ILiveClient.PurchaseConfirmed));

        var snapshot = await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        Assert.Equal(RoomStatus.Live, snapshot.Room.Status);
        await other.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);

        await scenario.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id });
        Assert.Equal(product.Id, (await pinned.WaitAsync(what: "after the host pinned")).Id);

        var sent = await other.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), room.Id, "  hello <b>everyone</b>  ");
        Assert.Equal("hello <b>everyone</b>", sent.Text);
        var batch = await chat.WaitAsync(b => b.Any(m => m.Id == sent.Id), what: "the other viewer's message");
        Assert.Equal("Lin", batch.Single(m => m.Id == sent.Id).DisplayName);

        Assert.Equal(3, await viewer.InvokeAsync<long>(nameof(LiveHub.Like), room.Id, 3));
        Assert.Equal(3, (await likes.WaitAsync(what: "likes after 3")).Likes);

        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 5, perUserLimit: 2);
        Assert.Equal(sale.Id, (await saleStarted.WaitAsync(what: "the new sale")).Id);

        var result = await viewer.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNow), sale.Id, 2, "req-1");
        Assert.Equal(PurchaseStatus.Confirmed, result.Status);
        Assert.Equal(3, result.Remaining);
        var order = await confirmed.WaitAsync(what: "the buyer's confirmation");
        Assert.Equal(result.OrderId, order.Id);
        Assert.Equal(result.OrderId, (await phoneConfirmed.WaitAsync(what: "the confirmation on the buyer's phone")).Id);
        Assert.Equal(119.80m, order.Total);
        var progress = await saleUpdated.WaitAsync(p => p.Remaining == 3, what: "remaining 3");
        Assert.Equal(2, progress.Sold);
        Assert.Contains("Mei", progress.RecentBuyers);

        var replay = await viewer.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNow), sale.Id, 2, "req-1");
        Assert.Equal(result, replay);
        var overLimit = await viewer.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNow), sale.Id, 1, "req-2");
        Assert.Equal(PurchaseStatus.LimitExceeded, overLimit.Status);

        var cart = await viewer.InvokeAsync<Cart>(nameof(LiveHub.AddToCart), product.Id, 2, room.Id);
        Assert.Equal(258.00m, cart.Total);
        var buyer = Server.Client(Server.Token($"viewer-{protocol}", "viewer", "Mei"));
        var checkout = await (await buyer.PostAsJsonAsync("/api/cart/checkout", new { idempotencyKey = "chk-1" })).ReadAsync<Order>();
        Assert.Equal(258.00m, checkout.Total);
        Assert.Null(checkout.SaleId);
        Assert.Equal(checkout.Id, (await confirmed.WaitAsync(o => o.Id == checkout.Id, what: "checkout confirmation")).Id);
        var orders = await (await buyer.GetAsync("/api/orders")).ReadAsync<Order[]>();
        Assert.Equal([checkout.Id, order.Id], orders.Select(o => o.Id));
        Assert.Empty(otherConfirmed.Drain());

        await scenario.Host.PostAsync($"/api/rooms/{room.Id}/end", null);
        Assert.Equal(RoomStatus.Ended, (await ended.WaitAsync(what: "stream end")).Status);
        var endedSale = await (await Server.Http.GetAsync($"/api/flash-sales/{sale.Id}")).ReadAsync<FlashSale>();
        Assert.Equal(SaleStatus.Ended, endedSale.Status);
    }
}
