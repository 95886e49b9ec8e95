using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Live.Hub.Tests.Infrastructure;

namespace Live.Hub.Tests.Api;

[Collection(ServerCollection.Name)]
public sealed class RestApiTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status} {code}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, ProtocolError.ProblemType(body));
        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("detail").GetString()));
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task DevTokensCarryTheClaimsAndRefuseBadInput()
    {
        var ok = await Server.Http.PostAsJsonAsync("/api/dev/token", new { userId = "u-1", displayName = "Ada", role = "viewer" });
        var token = (await ok.ReadAsync<JsonElement>()).GetProperty("token").GetString();
        var cart = await (await Server.Client(token).GetAsync("/api/cart")).ReadAsync<Cart>();
        Assert.Equal("u-1", cart.UserId);

        await AssertProblemAsync(await Server.Http.PostAsJsonAsync("/api/dev/token", new { userId = "u-1", displayName = "Ada", role = "admin" }), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await Server.Http.PostAsJsonAsync("/api/dev/token", new { userId = "", displayName = "Ada", role = "viewer" }), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await Server.Http.PostAsync("/api/dev/token", Json("{not json")), HttpStatusCode.BadRequest, "invalid_argument");
    }

    [Fact]
    public async Task HostCallsNeedATokenTheHostRoleAndTheirOwnRoom()
    {
        var owner = new HostScenario(Server, "host-owner");
        var product = await owner.CreateProductAsync();
        var room = await owner.CreateRoomAsync(start: false);
        var anonymous = Server.Client(null);
        var viewer = Server.Client(Server.Token("just-a-viewer"));
        var otherHost = Server.Client(Server.Token("host-other", "host"));

        await AssertProblemAsync(await anonymous.PostAsJsonAsync("/api/rooms", new { title = "x" }), HttpStatusCode.Unauthorized, "unauthenticated");
        await AssertProblemAsync(await viewer.PostAsJsonAsync("/api/rooms", new { title = "x" }), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await viewer.PostAsJsonAsync("/api/products", new { name = "x", brand = "y", price = 1 }), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await anonymous.PostAsync($"/api/rooms/{room.Id}/start", null), HttpStatusCode.Unauthorized, "unauthenticated");
        await AssertProblemAsync(await otherHost.PostAsync($"/api/rooms/{room.Id}/start", null), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await otherHost.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id }), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await otherHost.PostAsync($"/api/rooms/{room.Id}/end", null), HttpStatusCode.Forbidden, "forbidden");

        var snapshot = await (await anonymous.GetAsync($"/api/rooms/{room.Id}")).ReadAsync<RoomSnapshot>();
        Assert.Equal(RoomStatus.Scheduled, snapshot.Room.Status);
    }

    [Fact]
    public async Task ARoomThatIsNotLiveTakesNoPinsAndNoSales()
    {
        var host = new HostScenario(Server, "host-notlive");
        var product = await host.CreateProductAsync();
        var room = await host.CreateRoomAsync(start: false);
        var sale = new { productId = product.Id, price = 10, quantity = 5, perUserLimit = 1, durationSeconds = 60 };

        await AssertProblemAsync(await host.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id }), HttpStatusCode.Conflict, "conflict");
        await AssertProblemAsync(await host.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/flash-sales", sale), HttpStatusCode.Conflict, "conflict");

        await host.Host.PostAsync($"/api/rooms/{room.Id}/start", null);
        await host.Host.PostAsync($"/api/rooms/{room.Id}/end", null);
        await AssertProblemAsync(await host.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/flash-sales", sale), HttpStatusCode.Conflict, "conflict");
        await AssertProblemAsync(await host.Host.DeleteAsync($"/api/rooms/{room.Id}/pin"), HttpStatusCode.Conflict, "conflict");
        await AssertProblemAsync(await host.Host.PostAsync($"/api/rooms/{room.Id}/start", null), HttpStatusCode.Conflict, "conflict");

        var snapshot = await (await Server.Http.GetAsync($"/api/rooms/{room.Id}")).ReadAsync<RoomSnapshot>();
        Assert.Null(snapshot.PinnedProduct);
        Assert.Empty(snapshot.ActiveSales);
        Assert.Equal(RoomStatus.Ended, snapshot.Room.Status);
    }

    [Fact]
    public async Task BadInputIsInvalidAndChangesNothing()
    {
        var host = new HostScenario(Server, "host-bad");
        var product = await host.CreateProductAsync(stock: 10);
        var room = await host.CreateRoomAsync();

        await AssertProblemAsync(await host.Host.PostAsJsonAsync("/api/products", new { name = "x", brand = "y", price = 1.234m }), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await host.Host.PostAsJsonAsync("/api/products", new { name = "x", brand = "y", price = -1 }), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await host.Host.PostAsJsonAsync("/api/products", new { name = "x", brand = "y", price = 1, currency = "yuan" }), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await host.Host.PostAsync("/api/products", Json("""{"name":"x","brand":"y","price":"cheap"}""")), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await host.Host.PostAsJsonAsync("/api/rooms", new { title = "" }), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await host.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/flash-sales", new { productId = product.Id, price = 10, quantity = 0, perUserLimit = 1, durationSeconds = 60 }), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await host.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/flash-sales", new { productId = product.Id, price = 10, quantity = 5, perUserLimit = 6, durationSeconds = 60 }), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await host.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/flash-sales", new { productId = product.Id, price = 10, quantity = 11, perUserLimit = 1, durationSeconds = 60 }), HttpStatusCode.Conflict, "conflict");
        await AssertProblemAsync(await host.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = "prod_missing" }), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await Server.Http.GetAsync("/api/rooms?status=paused"), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await Server.Http.GetAsync("/api/rooms/room_missing"), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await Server.Http.GetAsync("/api/products/prod_missing"), HttpStatusCode.NotFound, "not_found");
        await AssertProblemAsync(await Server.Http.GetAsync("/api/flash-sales/sale_missing"), HttpStatusCode.NotFound, "not_found");

        var unchanged = await (await Server.Http.GetAsync($"/api/products/{product.Id}")).ReadAsync<Product>();
        Assert.Equal(10, unchanged.Stock);
        var snapshot = await (await Server.Http.GetAsync($"/api/rooms/{room.Id}")).ReadAsync<RoomSnapshot>();
        Assert.Empty(snapshot.ActiveSales);
    }

    [Fact]
    public async Task HostsEndTheirOwnSalesOnly()
    {
        var host = new HostScenario(Server, "host-sale-end");
        var product = await host.CreateProductAsync(stock: 20);
        var room = await host.CreateRoomAsync();
        var sale = await host.StartSaleAsync(room.Id, product.Id, quantity: 8);
        Assert.Equal(12, (await (await Server.Http.GetAsync($"/api/products/{product.Id}")).ReadAsync<Product>()).Stock);

        await AssertProblemAsync(await Server.Client(Server.Token("host-intruder", "host")).PostAsync($"/api/flash-sales/{sale.Id}/end", null), HttpStatusCode.Forbidden, "forbidden");
        await AssertProblemAsync(await Server.Client(Server.Token("viewer-intruder")).PostAsync($"/api/flash-sales/{sale.Id}/end", null), HttpStatusCode.Forbidden, "forbidden");

        var ended = await (await host.Host.PostAsync($"/api/flash-sales/{sale.Id}/end", null)).ReadAsync<FlashSale>();
        Assert.Equal(SaleStatus.Ended, ended.Status);
        Assert.Equal(20, (await (await Server.Http.GetAsync($"/api/products/{product.Id}")).ReadAsync<Product>()).Stock);
    }

    [Fact]
    public async Task CartsCheckOutOncePerIdempotencyKey()
    {
        var host = new HostScenario(Server, "host-cart");
        var product = await host.CreateProductAsync(price: 19.99m, stock: 3);
        var shopper = Server.Client(Server.Token("shopper"));

        await AssertProblemAsync(await Server.Client(null).GetAsync("/api/cart"), HttpStatusCode.Unauthorized, "unauthenticated");
        await AssertProblemAsync(await shopper.PostAsJsonAsync("/api/cart/checkout", new { idempotencyKey = "k0" }), HttpStatusCode.Conflict, "conflict");
        await AssertProblemAsync(await shopper.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 0 }), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await shopper.PostAsJsonAsync("/api/cart/items", new { productId = "prod_missing", quantity = 1 }), HttpStatusCode.NotFound, "not_found");

        var cart = await (await shopper.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 2 })).ReadAsync<Cart>();
        Assert.Equal(39.98m, cart.Total);
        var first = await (await shopper.PostAsJsonAsync("/api/cart/checkout", new { idempotencyKey = "k1" })).ReadAsync<Order>();
        var again = await (await shopper.PostAsJsonAsync("/api/cart/checkout", new { idempotencyKey = "k1" })).ReadAsync<Order>();
        Assert.Equal((first.Id, first.Total, first.CreatedAt), (again.Id, again.Total, again.CreatedAt));
        Assert.Empty((await (await shopper.GetAsync("/api/cart")).ReadAsync<Cart>()).Items);
        Assert.Equal(1, (await (await Server.Http.GetAsync($"/api/products/{product.Id}")).ReadAsync<Product>()).Stock);

        // An add with an idempotency key (RedLive's addition) sent again adds once; a malformed key is refused.
        await shopper.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 1, idempotencyKey = "add-1" });
        Assert.Equal(1, Assert.Single((await (await shopper.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 1, idempotencyKey = "add-1" })).ReadAsync<Cart>()).Items).Quantity);
        await AssertProblemAsync(await shopper.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 1, idempotencyKey = "" }), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await shopper.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 1, idempotencyKey = new string('k', 61) }), HttpStatusCode.BadRequest, "invalid_argument");
        Assert.Equal(2, Assert.Single((await (await shopper.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 1 })).ReadAsync<Cart>()).Items).Quantity);
        await AssertProblemAsync(await shopper.PostAsJsonAsync("/api/cart/checkout", new { idempotencyKey = "k2" }), HttpStatusCode.Conflict, "conflict");
        Assert.Equal(1, (await (await Server.Http.GetAsync($"/api/products/{product.Id}")).ReadAsync<Product>()).Stock);
        var removed = await (await shopper.DeleteAsync($"/api/cart/items/{product.Id}")).ReadAsync<Cart>();
        Assert.Empty(removed.Items);

        var orders = await (await shopper.GetAsync("/api/orders")).ReadAsync<Order[]>();
        Assert.Equal([first.Id], orders.Select(o => o.Id));
    }

    [Fact]
    public async Task OrdersArePagedNewestFirstByTheLinkHeaderAndAPlainGetStillAnswersThemAll()
    {
        var host = new HostScenario(Server, "host-orders-paged");
        var product = await host.CreateProductAsync(price: 5m, stock: 10);
        var shopper = Server.Client(Server.Token("shopper-paged"));
        var placed = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            await shopper.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 1 });
            placed.Add((await (await shopper.PostAsJsonAsync("/api/cart/checkout", new { idempotencyKey = $"paged-{i}" })).ReadAsync<Order>()).Id);
        }

        placed.Reverse();
        Assert.Equal(placed, (await (await shopper.GetAsync("/api/orders")).ReadAsync<Order[]>()).Select(o => o.Id));

        // Following rel="next" from the first page of 2 visits every order once, newest first, in pages of 2, 2 and 1.
        var paged = new List<string>();
        var pages = new List<int>();
        string? next = "/api/orders?limit=2";
        while (next is not null)
        {
            var response = await shopper.GetAsync(next);
            var page = await response.ReadAsync<Order[]>();
            paged.AddRange(page.Select(o => o.Id));
            pages.Add(page.Length);
            var link = response.Headers.TryGetValues("Link", out var values) ? Assert.Single(values) : null;
            next = link is null ? null : link[(link.IndexOf('<') + 1)..link.IndexOf('>')];
            Assert.True(link is null || link.EndsWith("; rel=\"next\"", StringComparison.Ordinal), link);
        }

        Assert.Equal(placed, paged);
        Assert.Equal([2, 2, 1], pages);

        // `before` alone pages by 50; what is not one of the caller's orders, or a limit out of range, is refused.
        Assert.Equal(placed.Skip(3), (await (await shopper.GetAsync($"/api/orders?before={placed[2]}")).ReadAsync<Order[]>()).Select(o => o.Id));
        await AssertProblemAsync(await shopper.GetAsync("/api/orders?before=ord_nobody"), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await Server.Client(Server.Token("shopper-other")).GetAsync($"/api/orders?before={placed[0]}"), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await shopper.GetAsync("/api/orders?limit=0"), HttpStatusCode.BadRequest, "invalid_argument");
        await AssertProblemAsync(await shopper.GetAsync("/api/orders?limit=201"), HttpStatusCode.BadRequest, "invalid_argument");
    }

    [Fact]
    public async Task LiveRoomsAreListedAndTheOpenApiDocumentIsServed()
    {
        var host = new HostScenario(Server, "host-list");
        var live = await host.CreateRoomAsync();
        var scheduled = await host.CreateRoomAsync(start: false);

        var rooms = await (await Server.Http.GetAsync("/api/rooms?status=live")).ReadAsync<Room[]>();
        Assert.Contains(rooms, r => r.Id == live.Id);
        Assert.DoesNotContain(rooms, r => r.Id == scheduled.Id);
        Assert.All(rooms, r => Assert.Equal(RoomStatus.Live, r.Status));

        using var openApi = JsonDocument.Parse(await Server.Client(Server.Token("ops-openapi", "operator")).GetStringAsync("/openapi/v1.json"));
        Assert.True(openApi.RootElement.GetProperty("paths").TryGetProperty("/api/rooms/{roomId}/flash-sales", out _));
        Assert.Equal(HttpStatusCode.OK, (await Server.Http.GetAsync("/health")).StatusCode);
    }
}
