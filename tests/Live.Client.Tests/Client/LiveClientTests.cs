using System.Net.Http.Json;
using Live.Client.Models;
using Live.Client.Tests.Infrastructure;

namespace Live.Client.Tests.Client;

/// <summary>LiveClient and LiveRoom against a real embedded server, in JSON and MessagePack: typed calls, typed events, typed refusals.</summary>
[Collection(ClientServerCollection.Name)]
public sealed class LiveClientTests(ClientServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task ARoomsEventsArriveTypedAndTheCallsAnswerTyped(WireProtocol protocol)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var product = await scenario.CreateProductAsync(name: "Rose Lip Balm", price: 129.00m);
        var room = await scenario.CreateRoomAsync();

        await using var viewer = await Server.ConnectClientAsync(Server.Token($"mei-{id}", "viewer", "Mei"), protocol);
        await using var other = await Server.ConnectClientAsync(Server.Token($"lin-{id}", "viewer", "Lin"), protocol);
        var seen = new RoomRecorder();
        var confirmed = new EventProbe<Order>("PurchaseConfirmed");
        viewer.PurchaseConfirmed += confirmed.Record;

        var joined = await viewer.JoinRoomAsync(room.Id, seen.Attach);
        var snapshot = await seen.Snapshots.WaitAsync(what: "the join's snapshot");
        Assert.Equal(RoomStatuses.Live, snapshot.Room.Status);
        Assert.Equal(room.Title, snapshot.Room.Title);
        Assert.Same(snapshot, joined.Snapshot);
        var otherRoom = await other.JoinRoomAsync(room.Id);

        (await scenario.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id })).EnsureSuccessStatusCode();
        var pinned = await seen.Pinned.WaitAsync(what: "the pin");
        Assert.Equal((product.Id, "Rose Lip Balm", 129.00m), (pinned.Id, pinned.Name, pinned.Price));

        var sent = await otherRoom.SendChatAsync("  hello <b>everyone</b>  ");
        Assert.Equal("hello <b>everyone</b>", sent.Text);
        var received = await seen.Chat.WaitAsync(m => m.Id == sent.Id, what: "Lin's message");
        Assert.Equal(("Lin", $"lin-{id}", room.Id), (received.DisplayName, received.UserId, received.RoomId));

        Assert.Equal(3, await joined.LikeAsync(3));
        await seen.Likes.WaitAsync(l => l.Likes == 3, what: "likes at 3");

        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 5, perUserLimit: 2, price: 59.90m);
        var started = await seen.SaleStarted.WaitAsync(what: "the sale");
        Assert.Equal((sale.Id, 59.90m, 5, SaleStatuses.Active), (started.Id, started.Price, started.Remaining, started.Status));

        var result = await viewer.BuyNowAsync(sale.Id, 2);
        Assert.Equal((PurchaseStatuses.Confirmed, 2, 3), (result.Status, result.Quantity, result.Remaining));
        Assert.Equal(result.OrderId, (await confirmed.WaitAsync(what: "the buyer's own confirmation")).Id);
        await seen.SaleUpdated.WaitAsync(p => p.SaleId == sale.Id && p.Remaining == 3, what: "the sale at 3 left");

        var cart = await viewer.AddToCartAsync(product.Id, 2, room.Id);
        Assert.Equal((2, 258.00m), (Assert.Single(cart.Items).Quantity, cart.Total));

        (await scenario.Host.DeleteAsync($"/api/rooms/{room.Id}/chat/{sent.Id}")).EnsureSuccessStatusCode();
        Assert.Equal(sent.Id, (await seen.Deleted.WaitAsync(what: "the deletion")).MessageId);

        (await scenario.Host.PostAsync($"/api/flash-sales/{sale.Id}/end", null)).EnsureSuccessStatusCode();
        Assert.Equal(SaleStatuses.Ended, (await seen.SaleEnded.WaitAsync(what: "the sale's end")).Status);
        (await scenario.Host.PostAsync($"/api/rooms/{room.Id}/end", null)).EnsureSuccessStatusCode();
        Assert.Equal(RoomStatuses.Ended, (await seen.Ended.WaitAsync(what: "the stream's end")).Status);

        // Each chat message once, and one start from a snapshot (the join's) on a connection that never dropped. (Events
        // the join's snapshot already reflects may be dropped as duplicates: that is the rule, not a fault.)
        Assert.Equal(seen.Chat.Items.Select(m => m.Id).Distinct().Count(), seen.Chat.Items.Count);
        Assert.Equal(1, joined.Resets);
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AnAddToCartWhoseAnswerWasLostOrUnavailableIsSentAgainWithItsKeyAndAddsOnce(WireProtocol protocol)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var product = await scenario.CreateProductAsync(price: 10.00m);
        var room = await scenario.CreateRoomAsync();
        var userId = $"cart-{id}";
        await using var shopper = await Server.ConnectClientAsync(Server.Token(userId, "viewer", "Mei"), protocol);

        // The add is made and its answer lost with the connection: the client reconnects and sends it again with its key.
        fixture.Faults.LoseNextAnswer(userId, LiveHubNames.AddToCartWithKey);
        var cart = await shopper.AddToCartAsync(product.Id, 2, room.Id);
        Assert.Equal(2, fixture.Faults.Invocations(userId, LiveHubNames.AddToCartWithKey));
        Assert.Equal((2, 20.00m), (Assert.Single(cart.Items).Quantity, cart.Total));

        // Answered unavailable (the server could not finish; here the add was made): sent again after a pause, added once.
        fixture.Faults.AnswerNextUnavailable(userId, LiveHubNames.AddToCartWithKey);
        Assert.Equal(3, Assert.Single((await shopper.AddToCartAsync(product.Id, 1, room.Id)).Items).Quantity);
        Assert.Equal(4, fixture.Faults.Invocations(userId, LiveHubNames.AddToCartWithKey));

        // An app's own key: its repeat (a later retry of an add that threw LiveCartAddUnansweredException) adds nothing.
        var key = LiveClient.NewRequestId();
        Assert.Equal(4, Assert.Single((await shopper.AddToCartAsync(product.Id, 1, idempotencyKey: key)).Items).Quantity);
        Assert.Equal(4, Assert.Single((await shopper.AddToCartAsync(product.Id, 1, idempotencyKey: key)).Items).Quantity);
        Assert.Equal(5, Assert.Single((await shopper.AddToCartAsync(product.Id, 1)).Items).Quantity);
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task RefusalsCarryTheProtocolsCodeAndMessage(WireProtocol protocol)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var room = await new HostScenario(Server, $"host-{id}").CreateRoomAsync();
        await using var viewer = await Server.ConnectClientAsync(Server.Token($"amy-{id}", "viewer", "Amy"), protocol);
        await using var anonymous = await Server.ConnectClientAsync(null, protocol);

        var notFound = await Assert.ThrowsAsync<LiveProtocolException>(() => viewer.JoinRoomAsync($"no-such-room-{id}"));
        Assert.Equal(LiveErrorCodes.NotFound, notFound.Code);
        Assert.Null(viewer.Room($"no-such-room-{id}"));

        var notJoined = await Assert.ThrowsAsync<LiveProtocolException>(() => viewer.SendChatAsync(room.Id, "hi"));
        Assert.Equal(LiveErrorCodes.Forbidden, notJoined.Code);
        Assert.False(string.IsNullOrWhiteSpace(notJoined.Detail));
        Assert.Equal($"{notJoined.Code}: {notJoined.Detail}", notJoined.Message);

        var joined = await viewer.JoinRoomAsync(room.Id);
        var tooMany = await Assert.ThrowsAsync<LiveProtocolException>(() => joined.LikeAsync(0));
        Assert.Equal(LiveErrorCodes.InvalidArgument, tooMany.Code);

        var signedOut = await Assert.ThrowsAsync<LiveProtocolException>(() => anonymous.BuyNowAsync("any-sale", 1));
        Assert.Equal(LiveErrorCodes.Unauthenticated, signedOut.Code);
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AClientsOwnPurchaseIsConfirmedOnceFromItsAnswerAndAnotherDevicesByTheEvent(WireProtocol protocol)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 10, perUserLimit: 5);
        var token = Server.Token($"own-{id}", "viewer", "Mei");
        await using var buyer = await Server.ConnectClientAsync(token, protocol);
        await using var phone = await Server.ConnectClientAsync(token, protocol);
        var confirmed = new EventProbe<Order>("the buyer's confirmations");
        buyer.PurchaseConfirmed += confirmed.Record;

        // Raised from the answer, before the call returns.
        var result = await buyer.BuyNowAsync(sale.Id, 1);
        Assert.Equal(result.OrderId, result.Order?.Id);
        Assert.Equal([result.OrderId], confirmed.Items.Select(o => o.Id));

        // The same user's purchase on another device arrives as the event; no second copy of the first came before it.
        var other = await phone.BuyNowAsync(sale.Id, 1);
        await confirmed.WaitAsync(o => o.Id == other.OrderId, what: "the other device's purchase");
        Assert.Equal([result.OrderId, other.OrderId], confirmed.Items.Select(o => o.Id));
    }

    [Fact]
    public async Task TheSameRequestIdBuysOnceAndEachPurchaseGetsAFreshOne()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 10, perUserLimit: 5);
        await using var buyer = await Server.ConnectClientAsync(Server.Token($"bo-{id}", "viewer", "Bo"));

        var requestId = LiveClient.NewRequestId();
        var first = await buyer.BuyNowAsync(sale.Id, 1, requestId);
        var again = await buyer.BuyNowAsync(sale.Id, 1, requestId);
        var fresh = await buyer.BuyNowAsync(sale.Id, 1);

        // The same decision, and the same order: the call that made it carries it (BuyNowWithOrder, PROTOCOL v1.6), and
        // so does the replay (v1.8: a client sends again when the first answer was lost).
        Assert.Equal(first with { Order = null }, again with { Order = null });
        Assert.Equal(first.OrderId, first.Order?.Id);
        Assert.Equal(first.OrderId, again.Order?.Id);
        Assert.NotEqual(first.OrderId, fresh.OrderId);
        Assert.NotEqual(requestId, LiveClient.NewRequestId());
        var orders = await Server.Client(Server.Token($"bo-{id}")).GetFromJsonAsync<List<Order>>("/api/orders");
        Assert.Equal(2, orders!.Count);
    }

    [Fact]
    public async Task APurchaseMadeWhileTheConnectionIsDownIsAskedAgainOnceItIsBackAndBuysOnce()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 10, perUserLimit: 5);
        var userId = $"cy-{id}";
        await using var buyer = await Server.ConnectClientAsync(Server.Token(userId, "viewer", "Cy"));
        var reconnecting = new EventProbe<Exception?>("Reconnecting");
        buyer.Reconnecting += reconnecting.Record;

        Task<PurchaseResult> purchase;
        fixture.Faults.Block();
        try
        {
            Assert.Equal(1, await fixture.Faults.DropAsync(userId));
            await reconnecting.WaitAsync(what: "the drop");

            // Made while no connection can be had: it waits for the reconnect instead of failing.
            purchase = buyer.BuyNowAsync(sale.Id, 2);
            await Task.Delay(TimeSpan.FromSeconds(1));
            Assert.False(purchase.IsCompleted, "the purchase answered while the server was unreachable");
        }
        finally
        {
            fixture.Faults.Unblock();
        }

        var result = await purchase.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(PurchaseStatuses.Confirmed, result.Status);
        var orders = await Server.Client(Server.Token(userId)).GetFromJsonAsync<List<Order>>("/api/orders");
        Assert.Equal(result.OrderId, Assert.Single(orders!).Id);
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AfterADroppedConnectionTheRoomComesBackOnItsOwnAndLiveEventsFlowOnce(WireProtocol protocol)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        var userId = $"di-{id}";
        await using var viewer = await Server.ConnectClientAsync(Server.Token(userId, "viewer", "Di"), protocol);
        await using var chatter = await Server.ConnectClientAsync(Server.Token($"ed-{id}", "viewer", "Ed"), protocol);
        var seen = new RoomRecorder();
        var reconnected = new EventProbe<bool>("Reconnected");
        viewer.Reconnected += () => reconnected.Record(true);
        var caughtUp = new EventProbe<bool>("CaughtUp");
        var joined = await viewer.JoinRoomAsync(room.Id, r =>
        {
            seen.Attach(r);
            r.CaughtUp += caughtUp.Record;
        });
        var chatterRoom = await chatter.JoinRoomAsync(room.Id);
        var before = await chatterRoom.SendChatAsync("before");
        await seen.Chat.WaitAsync(m => m.Id == before.Id, what: "the message before the drop");

        fixture.Faults.Block();
        try
        {
            Assert.Equal(1, await fixture.Faults.DropAsync(userId));
            (await scenario.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id })).EnsureSuccessStatusCode();
            await chatterRoom.SendChatAsync("while away");
        }
        finally
        {
            fixture.Faults.Unblock();
        }

        await reconnected.WaitAsync(timeout: TimeSpan.FromSeconds(20), what: "the reconnect");

        // The room says it caught up, and how: the server kept the room's window, so with the missed events.
        Assert.True(await caughtUp.WaitAsync(timeout: TimeSpan.FromSeconds(20), what: "the room catching up"));
        Assert.Empty(caughtUp.Items.Skip(1));

        // What happened meanwhile is there: through the resume (missed events), or a fresh snapshot from a server
        // without the event stream.
        await Eventually.TrueAsync(
            "the pin made while away is known",
            () => seen.Pinned.Items.Any(p => p.Id == product.Id) || joined.Snapshot?.PinnedProduct?.Id == product.Id,
            TimeSpan.FromSeconds(20));

        var after = await chatterRoom.SendChatAsync("after");
        await seen.Chat.WaitAsync(m => m.Id == after.Id, what: "live chat after the reconnect");
        Assert.Equal(seen.Chat.Items.Select(m => m.Id).Distinct().Count(), seen.Chat.Items.Count);
        Assert.Equal(seen.Chat.Items.OrderBy(m => m.SentAt).Select(m => m.Id), seen.Chat.Items.Select(m => m.Id));
    }
}
