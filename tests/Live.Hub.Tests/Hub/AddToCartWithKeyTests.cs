using System.Net.Http.Json;
using Live.Contracts.Carts;
using Live.Hub.Realtime;
using Live.Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Hub.Tests.Hub;

/// <summary>
/// <c>AddToCartWithKey</c> (PROTOCOL v1.7): <c>AddToCart</c> under the client's idempotency key, so that a client may send
/// an add whose answer it lost again and the cart takes it once; the key is the one <c>POST /api/cart/items</c> takes.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class AddToCartWithKeyTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task TheSameKeyAddsOnceAndAnotherKeyAddsAgain(WireProtocol protocol)
    {
        var scenario = new HostScenario(Server, $"host-cart-key-{protocol}-{Guid.NewGuid().ToString("N")[..8]}");
        var product = await scenario.CreateProductAsync(price: 19.99m);
        var room = await scenario.CreateRoomAsync();
        var token = Server.Token($"shopper-cart-key-{protocol}-{Guid.NewGuid().ToString("N")[..8]}", "viewer", "Mei");
        await using var phone = await Server.ConnectAsync(token, protocol);
        await using var tablet = await Server.ConnectAsync(token, protocol);

        var first = await phone.InvokeAsync<Cart>(nameof(LiveHub.AddToCartWithKey), product.Id, 2, room.Id, "add-1");
        Assert.Equal((2, 39.98m), (Assert.Single(first.Items).Quantity, first.Total));

        // The same key again, on this connection, on another, and overlapping: the cart as it is, nothing added.
        var again = await phone.InvokeAsync<Cart>(nameof(LiveHub.AddToCartWithKey), product.Id, 2, room.Id, "add-1");
        var overlapping = await Task.WhenAll(
            tablet.InvokeAsync<Cart>(nameof(LiveHub.AddToCartWithKey), product.Id, 2, room.Id, "add-1"),
            phone.InvokeAsync<Cart>(nameof(LiveHub.AddToCartWithKey), product.Id, 2, room.Id, "add-1"));
        Assert.All(overlapping.Append(again), cart => Assert.Equal(2, Assert.Single(cart.Items).Quantity));

        // Another key adds; so does v1's AddToCart, which takes no key (each call is a new add).
        Assert.Equal(3, Assert.Single((await tablet.InvokeAsync<Cart>(nameof(LiveHub.AddToCartWithKey), product.Id, 1, null, "add-2")).Items).Quantity);
        Assert.Equal(4, Assert.Single((await phone.InvokeAsync<Cart>(nameof(LiveHub.AddToCart), product.Id, 1, room.Id)).Items).Quantity);
        Assert.Equal(5, Assert.Single((await phone.InvokeAsync<Cart>(nameof(LiveHub.AddToCart), product.Id, 1, room.Id)).Items).Quantity);

        // One key space with REST's idempotencyKey: an add made over REST is not made again over the hub, nor the reverse.
        var rest = Server.Client(token);
        await (await rest.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 1, idempotencyKey = "add-3" })).ReadAsync<Cart>();
        Assert.Equal(6, Assert.Single((await phone.InvokeAsync<Cart>(nameof(LiveHub.AddToCartWithKey), product.Id, 1, null, "add-3")).Items).Quantity);
        var viaRest = await (await rest.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 1, idempotencyKey = "add-1" })).ReadAsync<Cart>();
        Assert.Equal(6, Assert.Single(viaRest.Items).Quantity);
    }

    [Fact]
    public async Task ItIsRefusedLikeAddToCartAndAMalformedKeyAddsNothing()
    {
        var scenario = new HostScenario(Server, $"host-cart-key-refusals-{Guid.NewGuid().ToString("N")[..8]}");
        var product = await scenario.CreateProductAsync();
        await using var anonymous = await Server.ConnectAsync();
        await using var shopper = await Server.ConnectAsync(Server.Token($"shopper-cart-key-refusals-{Guid.NewGuid().ToString("N")[..8]}"));

        Assert.StartsWith("unauthenticated: ", await HubErrors.RefusalAsync(() => anonymous.InvokeAsync<object>(nameof(LiveHub.AddToCartWithKey), product.Id, 1, null, "k1")));
        foreach (var key in new[] { "", "has space", new string('k', 61) })
        {
            Assert.StartsWith("invalid_argument: idempotencyKey", await HubErrors.RefusalAsync(() => shopper.InvokeAsync<object>(nameof(LiveHub.AddToCartWithKey), product.Id, 1, null, key)));
        }

        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => shopper.InvokeAsync<object>(nameof(LiveHub.AddToCartWithKey), product.Id, 0, null, "k1")));
        Assert.StartsWith("not_found: ", await HubErrors.RefusalAsync(() => shopper.InvokeAsync<object>(nameof(LiveHub.AddToCartWithKey), "prod_nope", 1, null, "k1")));

        // None of the refusals took the key: it adds now, once. A 60-character key is within bounds.
        Assert.Equal(1, Assert.Single((await shopper.InvokeAsync<Cart>(nameof(LiveHub.AddToCartWithKey), product.Id, 1, null, "k1")).Items).Quantity);
        Assert.Equal(2, Assert.Single((await shopper.InvokeAsync<Cart>(nameof(LiveHub.AddToCartWithKey), product.Id, 1, null, new string('k', 60))).Items).Quantity);
        Assert.Equal(2, Assert.Single((await shopper.InvokeAsync<Cart>(nameof(LiveHub.AddToCartWithKey), product.Id, 1, null, "k1")).Items).Quantity);
    }

    [Fact]
    public async Task ItSharesAddToCartsRateLimitAndARateLimitedAddLeavesItsKeyUnused()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var product = await new HostScenario(Server, $"host-cart-key-limit-{id}").CreateProductAsync();
        var userId = $"cart-key-bot-{id}";
        await using var bot = await Server.ConnectAsync(Server.Token(userId));

        // AddToCart until the user's bucket is empty: the keyed add is refused then too (one bucket for both).
        var accepted = 0;
        while (true)
        {
            try
            {
                await bot.InvokeAsync<Cart>(nameof(LiveHub.AddToCart), product.Id, 1, null);
                accepted++;
                Assert.True(accepted < 60, "AddToCart was never rate-limited");
            }
            catch (HubException ex)
            {
                Assert.StartsWith("rate_limited: ", HubErrors.Refusal(ex));
                break;
            }
        }

        Assert.StartsWith("rate_limited: ", await HubErrors.RefusalAsync(() => bot.InvokeAsync<object>(nameof(LiveHub.AddToCartWithKey), product.Id, 1, null, "limited")));

        // The refused add did not take its key: once the bucket has a token again the same key adds, once.
        Task<Cart> AddLimitedAsync(string what) => Eventually.GetAsync(
            what,
            () => bot.InvokeAsync<Cart>(nameof(LiveHub.AddToCartWithKey), product.Id, 1, null, "limited"),
            _ => true,
            TimeSpan.FromSeconds(10),
            TimeSpan.FromMilliseconds(250),
            retryOn: e => e is HubException h && HubErrors.Refusal(h).StartsWith("rate_limited: ", StringComparison.Ordinal));
        Assert.Equal(accepted + 1, Assert.Single((await AddLimitedAsync("the keyed add once a token is back")).Items).Quantity);
        Assert.Equal(accepted + 1, Assert.Single((await AddLimitedAsync("the same key again")).Items).Quantity);
    }
}
