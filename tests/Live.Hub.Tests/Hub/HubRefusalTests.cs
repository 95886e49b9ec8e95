using System.Net.Http.Json;
using Live.Contracts.Carts;
using Live.Contracts.Rooms;
using Live.Hub.Realtime;
using Live.Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Hub.Tests.Hub;

/// <summary>Each hub method's refusals: no token, not joined, bad input, unknown ids, room not open, rate limits.</summary>
[Collection(ServerCollection.Name)]
public sealed class HubRefusalTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Fact]
    public async Task AnonymousViewersMayWatchButNotChatLikeBuyOrAddToCart()
    {
        var scenario = new HostScenario(Server, "host-anon");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        var sale = await scenario.StartSaleAsync(room.Id, product.Id);
        await using var anonymous = await Server.ConnectAsync();

        var snapshot = await anonymous.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        Assert.Equal(room.Id, snapshot.Room.Id);
        Assert.Equal(sale.Id, Assert.Single(snapshot.ActiveSales).Id);

        Assert.StartsWith("unauthenticated: ", await HubErrors.RefusalAsync(() => anonymous.InvokeAsync<object>(nameof(LiveHub.SendChat), room.Id, "hi")));
        Assert.StartsWith("unauthenticated: ", await HubErrors.RefusalAsync(() => anonymous.InvokeAsync<long>(nameof(LiveHub.Like), room.Id, 1)));
        Assert.StartsWith("unauthenticated: ", await HubErrors.RefusalAsync(() => anonymous.InvokeAsync<object>(nameof(LiveHub.BuyNow), sale.Id, 1, "r1")));
        Assert.StartsWith("unauthenticated: ", await HubErrors.RefusalAsync(() => anonymous.InvokeAsync<object>(nameof(LiveHub.AddToCart), product.Id, 1, room.Id)));
    }

    [Fact]
    public async Task ATokenSignedWithAnotherKeyIsNotAUser()
    {
        var room = await new HostScenario(Server, "host-forged").CreateRoomAsync();
        var forged = new Identity.TokenIssuer(
            Microsoft.Extensions.Options.Options.Create(new Identity.LiveAuthOptions { SigningKey = new string('x', 48) }),
            TimeProvider.System).Issue("mallory", "Mallory", "host");
        await using var connection = await Server.ConnectAsync(forged);
        await connection.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        Assert.StartsWith("unauthenticated: ", await HubErrors.RefusalAsync(() => connection.InvokeAsync<object>(nameof(LiveHub.SendChat), room.Id, "hi")));
    }

    [Fact]
    public async Task ChatAndLikesNeedTheRoomJoinedAndValidInput()
    {
        var room = await new HostScenario(Server, "host-chat").CreateRoomAsync();
        await using var viewer = await Server.ConnectAsync(Server.Token("chatty"));

        Assert.StartsWith("forbidden: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<object>(nameof(LiveHub.SendChat), room.Id, "hi")));
        Assert.StartsWith("forbidden: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<long>(nameof(LiveHub.Like), room.Id, 1)));

        await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<object>(nameof(LiveHub.SendChat), room.Id, "   ")));
        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<object>(nameof(LiveHub.SendChat), room.Id, new string('a', 501))));
        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<long>(nameof(LiveHub.Like), room.Id, 0)));
        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<long>(nameof(LiveHub.Like), room.Id, 101)));

        var snapshot = await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        Assert.Empty(snapshot.RecentChat);
        Assert.Equal(0, snapshot.Likes);
    }

    [Fact]
    public async Task UnknownIdsAreNotFoundAndMalformedIdsAreInvalid()
    {
        await using var viewer = await Server.ConnectAsync(Server.Token("lost"));
        Assert.StartsWith("not_found: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), "room_nope")));
        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), "")));
        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), new string('r', 65))));
        Assert.StartsWith("not_found: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<object>(nameof(LiveHub.BuyNow), "sale_nope", 1, "r1")));
        Assert.StartsWith("not_found: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<Cart>(nameof(LiveHub.AddToCart), "prod_nope", 1, null)));
    }

    [Fact]
    public async Task BuyNowRefusesBadQuantitiesAndRequestIds()
    {
        var scenario = new HostScenario(Server, "host-buy");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 5);
        await using var buyer = await Server.ConnectAsync(Server.Token("picky"));

        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => buyer.InvokeAsync<object>(nameof(LiveHub.BuyNow), sale.Id, 0, "r1")));
        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => buyer.InvokeAsync<object>(nameof(LiveHub.BuyNow), sale.Id, -3, "r2")));
        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => buyer.InvokeAsync<object>(nameof(LiveHub.BuyNow), sale.Id, 1, "")));
        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => buyer.InvokeAsync<object>(nameof(LiveHub.AddToCart), product.Id, 100, room.Id)));

        var current = await (await Server.Http.GetAsync($"/api/flash-sales/{sale.Id}")).ReadAsync<Live.Contracts.FlashSales.FlashSale>();
        Assert.Equal(5, current.Remaining);
    }

    [Fact]
    public async Task ChatInAnEndedRoomIsAConflict()
    {
        var scenario = new HostScenario(Server, "host-ended");
        var room = await scenario.CreateRoomAsync();
        await using var viewer = await Server.ConnectAsync(Server.Token("late"));
        await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        await scenario.Host.PostAsync($"/api/rooms/{room.Id}/end", null);

        Assert.StartsWith("conflict: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<object>(nameof(LiveHub.SendChat), room.Id, "hello?")));
    }

    [Fact]
    public async Task ChatPastTheRateLimitIsRateLimited()
    {
        var room = await new HostScenario(Server, "host-rate").CreateRoomAsync();
        await using var spammer = await Server.ConnectAsync(Server.Token("spammer"));
        await spammer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);

        var refusals = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            try
            {
                await spammer.InvokeAsync<object>(nameof(LiveHub.SendChat), room.Id, $"buy buy buy {i}");
            }
            catch (HubException ex)
            {
                refusals.Add(HubErrors.Refusal(ex));
            }
        }

        Assert.NotEmpty(refusals);
        Assert.All(refusals, r => Assert.StartsWith("rate_limited: ", r));
        var snapshot = await spammer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        Assert.Equal(20 - refusals.Count, snapshot.RecentChat.Count);
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AddToCartPastTheRateLimitIsRateLimitedAndAddsNothing(WireProtocol protocol)
    {
        var product = await new HostScenario(Server, $"host-cart-{protocol}").CreateProductAsync();
        var userId = $"cart-bot-{protocol}";
        await using var bot = await Server.ConnectAsync(Server.Token(userId), protocol);

        var accepted = 0;
        var refusals = new List<string>();
        for (var i = 0; i < 80; i++)
        {
            try
            {
                await bot.InvokeAsync<Cart>(nameof(LiveHub.AddToCart), product.Id, 1, null);
                accepted++;
            }
            catch (HubException ex)
            {
                refusals.Add(HubErrors.Refusal(ex));
            }
        }

        Assert.NotEmpty(refusals);
        Assert.All(refusals, r => Assert.StartsWith("rate_limited: ", r));
        var cart = await Server.Client(Server.Token(userId)).GetAsync("/api/cart").ReadAsync<Cart>();
        Assert.Equal(accepted, Assert.Single(cart.Items).Quantity);
    }

    [Fact]
    public async Task ACartHoldsOneCurrencyAndAnotherIsAConflict()
    {
        var host = new HostScenario(Server, "host-currency");
        var yuan = await host.CreateProductAsync();
        var euros = await host.Host.PostAsJsonAsync("/api/products", new { name = "Silk scarf", brand = "Acme", price = 19.90m, currency = "EUR", stock = 10 })
            .ReadAsync<Live.Contracts.Catalog.Product>();
        await using var shopper = await Server.ConnectAsync(Server.Token("shopper-currency"), WireProtocol.MessagePack);

        var cart = await shopper.InvokeAsync<Cart>(nameof(LiveHub.AddToCart), yuan.Id, 1, null);
        Assert.Equal("CNY", cart.Currency);
        Assert.StartsWith("conflict: ", await HubErrors.RefusalAsync(() => shopper.InvokeAsync<Cart>(nameof(LiveHub.AddToCart), euros.Id, 1, null)));
        Assert.Equivalent(cart, await Server.Client(Server.Token("shopper-currency")).GetAsync("/api/cart").ReadAsync<Cart>(), strict: true);
    }

    [Fact]
    public async Task LateJoinersGetRecentChatAndThePin()
    {
        var scenario = new HostScenario(Server, "host-late");
        var product = await scenario.CreateProductAsync(name: "Silk Scarf", brand: "Unknown Workshop");
        var room = await scenario.CreateRoomAsync();
        await scenario.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id });

        var sent = new List<string>();
        for (var i = 0; i < 55; i++)
        {
            await using var early = await Server.ConnectAsync(Server.Token($"early-{i}"));
            await early.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
            sent.Add((await early.InvokeAsync<Live.Contracts.Rooms.ChatMessage>(nameof(LiveHub.SendChat), room.Id, $"message {i}")).Id);
        }

        await using var late = await Server.ConnectAsync(protocol: WireProtocol.MessagePack);
        var snapshot = await late.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        Assert.Equal(sent.Skip(5), snapshot.RecentChat.Select(m => m.Id));
        Assert.Equal(product.Id, snapshot.PinnedProduct?.Id);
        Assert.False(snapshot.PinnedProduct!.Verified);
    }
}
