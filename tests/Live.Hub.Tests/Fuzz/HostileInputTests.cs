using System.Net;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Live.Contracts.Sellers;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Hub.Tests.Fuzz;

/// <summary>
/// Property-based hostile input (FsCheck generators): every hub method and REST call tried with wrong types, missing
/// and extra arguments, nulls, huge and broken strings, extreme numbers, unknown ids, and every role's token on the
/// operator's seller routes. Each refusal carries a
/// PROTOCOL.md code, nothing is a server error, the server stays up, and a refused call changes nothing.
/// </summary>
public sealed class HostileInputTests : IAsyncLifetime
{
    private static readonly string[] Codes = ["invalid_argument", "unauthenticated", "forbidden", "not_found", "conflict", "rate_limited"];

    private LiveServer _server = null!;
    private HostScenario _host = null!;
    private Room _room = null!;
    private Product _product = null!;
    private FlashSale _sale = null!;

    public async ValueTask InitializeAsync()
    {
        // Generous per-user limits so that the generated calls reach validation instead of stopping at the limiter.
        _server = await LiveServer.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimits:HubCallsPerSecond"] = "100000",
            ["RateLimits:HubCallBurst"] = "100000",
            ["RateLimits:ChatPerSecond"] = "1000",
            ["RateLimits:ChatBurst"] = "1000",
            ["RateLimits:BuysPerSecond"] = "1000",
            ["RateLimits:BuyBurst"] = "1000",
            ["RateLimits:LikesPerSecond"] = "1000",
            ["RateLimits:LikeBurst"] = "1000",
            ["RateLimits:JoinsPerSecond"] = "1000",
            ["RateLimits:JoinBurst"] = "1000",
            ["RateLimits:RestWritesPerSecond"] = "1000",
            ["RateLimits:RestWriteBurst"] = "1000",
            ["RateLimits:ReadsPerSecond"] = "10000",
            ["RateLimits:ReadBurst"] = "10000",
            ["RateLimits:AnonymousReadsPerSecond"] = "10000",
            ["RateLimits:AnonymousReadBurst"] = "10000",
        });
        _host = new HostScenario(_server, "host-fuzz");
        _product = await _host.CreateProductAsync(stock: 500);
        _room = await _host.CreateRoomAsync();
        _sale = await _host.StartSaleAsync(_room.Id, _product.Id, quantity: 50, perUserLimit: 2);
    }

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private Gen<object?> HostileValue() => Gen.Frequency(
        (2, Gen.Constant<object?>(null)),
        (2, Gen.Elements<object?>(0, -1, 1, 2, int.MinValue, int.MaxValue, long.MaxValue, -9_999_999_999L, 1e308, -0.5, 2.5m)),
        (1, Gen.Choose(-1000, 1000).Select(i => (object?)i)),
        (3, Gen.Elements<object?>(
            "", " ", "   \t ", "a", "<script>alert(1)</script>", "\ud800", "x\udfffy", "\u0000\u0001", "\u202e\u200b",
            "😀😀😀", "'; DROP TABLE rooms; --", "../../etc/passwd", "%00", new string('x', 501), new string('y', 9000),
            "sale_unknown", "room_unknown", "prod_unknown")),
        (3, Gen.Elements<object?>(_room.Id, _sale.Id, _product.Id, "req-1")),
        (1, Gen.Elements<object?>(new object?[] { 1, "two", null }, new Dictionary<string, object?> { ["roomId"] = _room.Id, ["n"] = 1 }, true, false)));

    private async Task<string> StateAsync(string userId)
    {
        var snapshot = await (await _server.Http.GetAsync($"/api/rooms/{_room.Id}")).ReadAsync<RoomSnapshot>();
        var sale = await (await _server.Http.GetAsync($"/api/flash-sales/{_sale.Id}")).ReadAsync<FlashSale>();
        var product = await (await _server.Http.GetAsync($"/api/products/{_product.Id}")).ReadAsync<Product>();
        using var operatorClient = _server.Client(_server.Token("fuzz-state-operator", "operator"));
        var seller = await (await operatorClient.GetAsync("/api/sellers/host-fuzz")).ReadAsync<Seller>();
        using var user = _server.Client(_server.Token(userId));
        var cart = await (await user.GetAsync("/api/cart")).ReadAsync<Cart>();
        var orders = await (await user.GetAsync("/api/orders")).ReadAsync<Order[]>();
        return string.Join('|',
            snapshot.Room.Status, snapshot.PinnedProduct?.Id, snapshot.RecentChat.Count, snapshot.Likes, snapshot.ActiveSales.Count,
            sale.Remaining, sale.Status, product.Stock, product.Verified, string.Join(',', seller.Brands), cart.Items.Count, cart.Total, orders.Length);
    }

    [Fact]
    public async Task HostileHubCallsAreRefusedWithProtocolCodesAndChangeNothing()
    {
        string[] methods = ["JoinRoom", "LeaveRoom", "SendChat", "Like", "BuyNow", "BuyNowWithOrder", "AddToCart", "AddToCartWithKey", "NoSuchMethod"];
        var cases = Gen.Elements(methods)
            .SelectMany(_ => Gen.Choose(0, 4), (method, count) => (method, count))
            .SelectMany(t => Gen.ArrayOf(HostileValue(), t.count), (t, args) => (t.method, args))
            .Sample(300, 30);
        Assert.Equal(300, cases.Length);

        foreach (var protocol in new[] { WireProtocol.Json, WireProtocol.MessagePack })
        {
            await using var connection = await _server.ConnectAsync(_server.Token($"fuzzer-{protocol}"), protocol);
            await connection.InvokeAsync<RoomSnapshot>("JoinRoom", _room.Id);
            var refused = 0;
            foreach (var (method, args) in cases)
            {
                var described = $"{protocol} {method}({string.Join(", ", args.Select(Describe))})";
                var before = await StateAsync($"fuzzer-{protocol}");
                try
                {
                    await connection.InvokeCoreAsync<object?>(method, args).WaitAsync(TimeSpan.FromSeconds(10));
                    continue;
                }
                catch (HubException ex)
                {
                    var refusal = ProtocolError.Refusal(ex) ?? ex.Message;
                    Assert.True(Codes.Any(c => refusal.StartsWith(c + ": ", StringComparison.Ordinal)), $"{described} was refused without a protocol code: {ex.Message}");
                    refused++;
                }

                Assert.True(connection.State == HubConnectionState.Connected, $"{described} dropped the connection");
                Assert.Equal(before, await StateAsync($"fuzzer-{protocol}"));
                if (method != "JoinRoom" && method != "LeaveRoom")
                {
                    await connection.InvokeAsync<RoomSnapshot>("JoinRoom", _room.Id);
                }
            }

            Assert.True(refused > cases.Length / 3, $"only {refused} of {cases.Length} generated calls were refused: the generator is too tame");
        }

        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task HostileRestCallsAreRefusedWithProblemDetailsAndChangeNothing()
    {
        var paths = new (HttpMethod Method, string Path)[]
        {
            (HttpMethod.Post, "/api/products"), (HttpMethod.Post, "/api/rooms"), (HttpMethod.Post, "/api/rooms/{room}/pin"),
            (HttpMethod.Post, "/api/rooms/{room}/flash-sales"), (HttpMethod.Post, "/api/cart/items"), (HttpMethod.Post, "/api/cart/checkout"),
            (HttpMethod.Post, "/api/dev/token"), (HttpMethod.Get, "/api/rooms/{room}"), (HttpMethod.Get, "/api/products/{product}"),
            (HttpMethod.Get, "/api/flash-sales/{sale}"), (HttpMethod.Post, "/api/flash-sales/{sale}/end"), (HttpMethod.Delete, "/api/cart/items/{product}"),
            (HttpMethod.Post, "/api/rooms/{room}/mutes"), (HttpMethod.Put, "/api/rooms/{room}/blocked-words"), (HttpMethod.Post, "/api/rooms/{room}/start"),
            (HttpMethod.Put, "/api/sellers/{host}/brands/{brand}"), (HttpMethod.Delete, "/api/sellers/{host}/brands/{brand}"), (HttpMethod.Get, "/api/sellers/{host}"),
        };
        string[] fields = ["name", "brand", "price", "currency", "stock", "tags", "title", "description", "productId", "quantity", "perUserLimit", "durationSeconds", "roomId", "idempotencyKey", "userId", "displayName", "role", "words", "extra"];
        var body = Gen.Frequency(
            (1, Gen.Elements("", "{", "null", "[]", "\"text\"", "{\"price\": }", "{\"name\": \"\\ud800\"}", "{\"tags\": [" + string.Join(',', Enumerable.Repeat("\"t\"", 5000)) + "]}")),
            (6, Gen.SubListOf(fields).SelectMany(keys => Gen.ArrayOf(HostileValue(), keys.Count), (keys, values) =>
                JsonSerializer.Serialize(keys.Zip(values).ToDictionary(p => p.First, p => p.Second)))));
        var ids = Gen.Elements(_room.Id, _sale.Id, _product.Id, "host-fuzz", "unknown", "%20", "a%2Fb", new string('z', 200), new string('h', 300));
        var brands = Gen.Elements("Perfect%20Diary", "perfect%20diary", "%20", "%01", "%E2%80%AE", "%F0%9F%98%80", "a%2Fb", new string('b', 101), "Anta");
        var tokens = Gen.Elements<string?>(
            null, _server.Token("rest-fuzzer"), _server.Token("rest-fuzz-host", "host"), _server.Token("host-fuzz", "host"), _server.Token("fuzz-operator", "operator"), "not.a.jwt");
        var cases = Gen.Elements(paths)
            .SelectMany(_ => body, (p, b) => (p, b))
            .SelectMany(_ => ids, (t, id) => (t.p, t.b, id))
            .SelectMany(_ => tokens, (t, token) => (t.p, t.b, t.id, token))
            .SelectMany(_ => brands, (t, brand) => (t.p, t.b, t.id, t.token, brand))
            .Sample(300, 30);
        Assert.Equal(300, cases.Length);

        var refusals = 0;
        foreach (var ((method, template), json, id, token, brand) in cases)
        {
            var path = template.Replace("{room}", id).Replace("{sale}", id).Replace("{product}", id).Replace("{host}", id).Replace("{brand}", brand);
            using var client = _server.Client(token);
            using var request = new HttpRequestMessage(method, path);
            if (method != HttpMethod.Get && method != HttpMethod.Delete)
            {
                request.Content = new StringContent(json, Encoding.UTF8, "application/json");
            }

            var before = await StateAsync("rest-fuzzer");
            using var response = await client.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            var described = $"{method} {path} {json[..Math.Min(json.Length, 200)]} -> {(int)response.StatusCode} {text[..Math.Min(text.Length, 300)]}";
            Assert.True((int)response.StatusCode < 500, described);
            if (response.IsSuccessStatusCode)
            {
                continue;
            }

            refusals++;
            Assert.True(response.Content.Headers.ContentType?.MediaType == "application/problem+json", described);
            var type = ProtocolError.ProblemType(text);
            Assert.True(Codes.Contains(type), described);
            Assert.Equal(before, await StateAsync("rest-fuzzer"));
        }

        Assert.True(refusals > cases.Length / 3, $"only {refusals} of {cases.Length} generated requests were refused: the generator is too tame");
        Assert.Equal(HttpStatusCode.OK, (await _server.Http.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task AHubMessageOverTheSizeLimitClosesThatConnectionOnly()
    {
        await using var big = await _server.ConnectAsync(_server.Token("oversized"));
        await using var bystander = await _server.ConnectAsync(_server.Token("bystander-size"));
        var closed = new TaskCompletionSource();
        big.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        _ = big.InvokeAsync<object>("SendChat", _room.Id, new string('x', 64 * 1024)).ContinueWith(_ => { }, TaskScheduler.Default);
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(_room.Id, (await bystander.InvokeAsync<RoomSnapshot>("JoinRoom", _room.Id)).Room.Id);
    }

    private static string Describe(object? value) => value switch
    {
        null => "null",
        string s => $"\"{(s.Length > 20 ? s[..20] + $"…({s.Length})" : s)}\"",
        _ => JsonSerializer.Serialize(value),
    };
}
