using System.Net.Http.Json;
using System.Text.Json;
using PurchaseStatuses = Live.Client.Models.PurchaseStatuses;
using Live.Contracts.Rooms;
using Live.HostConsole.Tests.Infrastructure;

namespace Live.HostConsole.Tests;

/// <summary>Every host-console command, run in process against a real embedded server.</summary>
[Collection(ServerCollection.Name)]
public sealed class HostConsoleTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Fact]
    public async Task HostRunsAShowFromTheConsole()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var token = await RunOkAsync("token", "--user", $"host-{id}", "--name", "Host", "--role", "host");
        Assert.DoesNotContain(' ', token);
        var operatorToken = await RunOkAsync("token", "--user", $"ops-{id}", "--name", "Operator", "--role", "operator");
        Assert.Equal($"host-{id}  licensed: no brands", await RunOkAsync("--token", token, "sellers", "show", $"host-{id}"));
        Assert.Equal($"host-{id}  licensed: Perfect Diary", await RunOkAsync("--token", operatorToken, "sellers", "license", $"host-{id}", "Perfect Diary"));

        var product = Json(await RunOkAsync("--token", token, "--json", "products", "create", "--name", "Rose Lip Balm", "--brand", "Perfect Diary", "--price", "129.00", "--stock", "100", "--tag", "beauty"));
        var productId = product.GetProperty("id").GetString()!;
        Assert.True(product.GetProperty("verified").GetBoolean());
        Assert.Equal($"{productId}  Perfect Diary Rose Lip Balm  129.00 CNY  stock 100", await RunOkAsync("products", "show", productId));

        var created = await RunOkAsync("--token", token, "rooms", "create", "--title", "Spring launch", "--description", "New season");
        var roomId = created.Split("  ")[0];
        Assert.Equal($"{roomId}  scheduled  Spring launch", created);
        Assert.Equal($"{roomId}  live  Spring launch", await RunOkAsync("--token", token, "rooms", "start", roomId));
        Assert.Contains($"{roomId}  live       Spring launch  (host host-{id})", (await RunOkAsync("rooms", "list", "--status", "live")).Split('\n').Select(l => l.TrimEnd()));

        Assert.Equal($"{roomId}  pinned {productId}  Rose Lip Balm", await RunOkAsync("--token", token, "pin", roomId, productId));
        var sale = await RunOkAsync("--token", token, "sales", "start", roomId, "--product", productId, "--price", "59.90", "--quantity", "10", "--limit", "2", "--duration", "120");
        var saleId = sale.Split("  ")[0];
        Assert.StartsWith($"{saleId}  active  Rose Lip Balm  59.90 CNY  sold 0/10  remaining 10  limit 2  ends ", sale);
        Assert.StartsWith($"{saleId}  active  Rose Lip Balm", await RunOkAsync("sales", "show", saleId));
        Assert.Contains("pinned " + productId, await RunOkAsync("rooms", "show", roomId));

        Assert.Equal($"{roomId}  nothing pinned", await RunOkAsync("--token", token, "unpin", roomId));
        Assert.StartsWith($"{saleId}  ended  Rose Lip Balm  59.90 CNY  sold 0/10  remaining 10", await RunOkAsync("--token", token, "sales", "end", saleId));
        Assert.Equal($"{roomId}  ended  Spring launch", await RunOkAsync("--token", token, "rooms", "end", roomId));

        var snapshot = await Server.Http.GetFromJsonAsync<RoomSnapshot>($"/api/rooms/{roomId}");
        Assert.Equal(RoomStatus.Ended, snapshot!.Room.Status);
        Assert.Null(snapshot.PinnedProduct);
    }

    [Fact]
    public async Task RefusedCallsPrintTheServersProblemAndExitNonZero()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var viewer = Server.Token($"viewer-{id}", "viewer", "Viewer");
        var forbidden = await ConsoleResult.RunAsync(Server.BaseUri, "--token", viewer, "products", "create", "--name", "Balm", "--brand", "Acme", "--price", "1");
        Assert.Equal(1, forbidden.ExitCode);
        Assert.Equal("error: forbidden: role host is required (HTTP 403)", forbidden.Error);
        Assert.Equal("", forbidden.Output);

        var host = Server.Token($"host-{id}", "host", "Host");
        var scenario = new HostScenario(Server, $"host-{id}");
        var product = await scenario.CreateProductAsync();
        var scheduled = await scenario.CreateRoomAsync(start: false);
        var notLive = await ConsoleResult.RunAsync(Server.BaseUri, "--token", host, "pin", scheduled.Id, product.Id);
        Assert.Equal(1, notLive.ExitCode);
        Assert.StartsWith("error: conflict: ", notLive.Error);
        Assert.EndsWith("(HTTP 409)", notLive.Error);

        var missing = await ConsoleResult.RunAsync(Server.BaseUri, "sales", "show", "sale_nope");
        Assert.Equal(1, missing.ExitCode);
        Assert.StartsWith("error: not_found: ", missing.Error);

        var noToken = await ConsoleResult.RunAsync(Server.BaseUri, "rooms", "create", "--title", "x");
        Assert.Equal(2, noToken.ExitCode);
        Assert.Equal("error: this command needs a token: pass --token, set REDLIVE_TOKEN, or get one with `token --user <id>`", noToken.Error);

        var badRole = await ConsoleResult.RunAsync(Server.BaseUri, "token", "--user", "u1", "--role", "admin");
        Assert.Equal(1, badRole.ExitCode);
        Assert.Contains("admin", badRole.Error);

        var unreachable = await ConsoleResult.RunAsync(new Uri($"http://127.0.0.1:{LoopbackPorts.Pick()}"), "rooms", "list");
        Assert.Equal(1, unreachable.ExitCode);
        Assert.StartsWith("error: cannot reach http://127.0.0.1:", unreachable.Error);
    }

    [Fact]
    public async Task OperatorsLicenseAndRevokeSellersFromTheConsole()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var host = $"host-{id}";
        var hostToken = Server.Token(host, "host", "Host");
        var operatorToken = Server.Token($"ops-{id}", "operator", "Operator");
        var product = await new HostScenario(Server, host).CreateProductAsync(brand: "Florasis");

        var byHost = await ConsoleResult.RunAsync(Server.BaseUri, "--token", hostToken, "sellers", "license", host, "Florasis");
        Assert.Equal((1, "error: forbidden: role operator is required (HTTP 403)"), (byHost.ExitCode, byHost.Error));

        Assert.Equal($"{host}  licensed: Florasis", await RunOkAsync("--token", operatorToken, "sellers", "license", host, "Florasis"));
        Assert.Equal($"{host}  licensed: Florasis, Li-Ning", await RunOkAsync("--token", operatorToken, "sellers", "license", host, "Li-Ning"));
        Assert.True((await Server.Http.GetFromJsonAsync<Live.Contracts.Catalog.Product>($"/api/products/{product.Id}"))!.Verified);

        var json = Json(await RunOkAsync("--token", hostToken, "--json", "sellers", "show", host));
        Assert.Equal(host, json.GetProperty("hostId").GetString());
        Assert.Equal(["Florasis", "Li-Ning"], json.GetProperty("brands").EnumerateArray().Select(b => b.GetString()));

        Assert.Equal($"{host}  licensed: Li-Ning", await RunOkAsync("--token", operatorToken, "sellers", "revoke", host, "florasis"));
        Assert.False((await Server.Http.GetFromJsonAsync<Live.Contracts.Catalog.Product>($"/api/products/{product.Id}"))!.Verified);

        var otherHost = await ConsoleResult.RunAsync(Server.BaseUri, "--token", Server.Token($"other-{id}", "host"), "sellers", "show", host);
        Assert.Equal(1, otherHost.ExitCode);
        Assert.StartsWith("error: forbidden: ", otherHost.Error);
    }

    [Fact]
    public async Task ServerAndTokenComeFromTheEnvironmentWhenNotGiven()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var environment = new Dictionary<string, string>
        {
            ["REDLIVE_SERVER"] = Server.BaseUri.ToString(),
            ["REDLIVE_TOKEN"] = Server.Token($"host-{id}", "host", "Host"),
        };
        var result = await ConsoleResult.RunWithEnvironmentAsync(name => environment.GetValueOrDefault(name), "rooms", "create", "--title", "From the environment");
        Assert.Equal(0, result.ExitCode);
        Assert.EndsWith("  scheduled  From the environment", result.Output);
        var roomId = result.Output.Split("  ")[0];
        var snapshot = await Server.Http.GetFromJsonAsync<RoomSnapshot>($"/api/rooms/{roomId}");
        Assert.Equal($"host-{id}", snapshot!.Room.HostId);
    }

    [Fact]
    public async Task TokenCommandExplainsWhenTheServerIssuesNoDevelopmentTokens()
    {
        await using var production = await LiveServer.StartAsync(new Dictionary<string, string?>
        {
            ["Auth:DevTokens"] = "false",
            ["Auth:SigningKey"] = "a-production-style-random-key-3f9a7c21d84b6e05",
        });
        var result = await ConsoleResult.RunAsync(production.BaseUri, "token", "--user", "host-1");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: not_found: this server issues no development tokens (Auth:DevTokens is off): get a token from your issuer (HTTP 404)", result.Error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("token", "--help")]
    [InlineData("products", "create", "--help")]
    [InlineData("products", "show", "--help")]
    [InlineData("rooms", "list", "--help")]
    [InlineData("rooms", "create", "--help")]
    [InlineData("rooms", "start", "--help")]
    [InlineData("rooms", "end", "--help")]
    [InlineData("rooms", "show", "--help")]
    [InlineData("pin", "--help")]
    [InlineData("unpin", "--help")]
    [InlineData("sales", "start", "--help")]
    [InlineData("sales", "end", "--help")]
    [InlineData("sales", "show", "--help")]
    [InlineData("sales", "audit", "--help")]
    [InlineData("sales", "ledger", "--help")]
    [InlineData("dashboard", "--help")]
    public async Task EveryCommandHasHelp(params string[] args)
    {
        var result = await ConsoleResult.RunAsync(Server.BaseUri, args);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Output);
        Assert.Contains("--server", result.Output);
        Assert.Equal("", result.Error);
    }

    [Fact]
    public async Task DashboardFollowsViewersLikesChatSalesAndGmvLive()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var product = await scenario.CreateProductAsync(name: "Rose Lip Balm");
        var room = await scenario.CreateRoomAsync();
        var first = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 10, perUserLimit: 2, price: 59.90m);

        var output = new WatchedWriter();
        var error = new WatchedWriter();
        using var stop = new CancellationTokenSource();
        var dashboard = ConsoleResult.Cli(output, error).RunAsync(["--server", Server.BaseUri.ToString(), "dashboard", room.Id], stop.Token);
        await output.WaitForAsync($"room {room.Id} \"Spring launch\" live: viewers 0, likes 0, pinned -, active sales 1, GMV 0.00 CNY");

        await using var bob = await Server.ConnectClientAsync(Server.Token($"bob-{id}", "viewer", "Bob"));
        var bobsRoom = await bob.JoinRoomAsync(room.Id);
        await output.WaitForAsync("viewers 2");
        await bobsRoom.SendChatAsync("[bold]hello[/] <b>host</b>");
        await output.WaitForAsync("chat Bob: [bold]hello[/] <b>host</b>");
        await bobsRoom.LikeAsync(3);
        await output.WaitForAsync("likes 3");

        var bought = await bob.BuyNowAsync(first.Id, 2);
        Assert.Equal(Live.Client.Models.PurchaseStatuses.Confirmed, bought.Status);
        await output.WaitForAsync($"sale {first.Id} sold 2/10 remaining 8 GMV 119.80 CNY");

        var second = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 5, perUserLimit: 5, price: 10.00m);
        await output.WaitForAsync($"sale {second.Id} started: Rose Lip Balm 10.00 CNY x5");
        await bob.BuyNowAsync(second.Id, 5);
        await output.WaitForAsync($"sale {second.Id} soldOut: sold 5/5 GMV 169.80 CNY");

        await stop.CancelAsync();
        var exitCode = await dashboard.WaitAsync(TimeSpan.FromSeconds(10))
            .ContinueWith(t => t.IsFaulted && t.Exception.InnerException is TimeoutException
                ? throw new TimeoutException("the dashboard did not stop within 10 s of its cancellation")
                : t.Result);
        Assert.Equal(0, exitCode);
        Assert.Equal("", error.Text);
    }

    [Fact]
    public async Task DashboardOfAnUnknownRoomSaysSoAndExitsNonZero()
    {
        var result = await ConsoleResult.RunAsync(Server.BaseUri, "dashboard", "room_nope");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: not_found: room room_nope not found", result.Error);
    }

    [Fact]
    public async Task TheHostAuditsASaleAndListsItsLedgerFromTheConsole()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var host = new HostScenario(Server, $"host-{id}");
        var hostToken = Server.Token($"host-{id}", "host", "Host");
        var product = await host.CreateProductAsync(stock: 20);
        var room = await host.CreateRoomAsync();
        var sale = await host.StartSaleAsync(room.Id, product.Id, quantity: 5, perUserLimit: 2);
        await using var buyer = await Server.ConnectClientAsync(Server.Token($"buyer-{id}", "viewer", "Ana"));
        var bought = await buyer.BuyNowAsync(sale.Id, 2, "r1");
        var refused = await buyer.BuyNowAsync(sale.Id, 1, "r2");
        Assert.Equal((PurchaseStatuses.Confirmed, PurchaseStatuses.LimitExceeded), (bought.Status, refused.Status));

        Assert.Equal(
            $"{sale.Id}  consistent  quantity 5  confirmed 2  remaining 3  orders 2  decisions 2",
            await RunOkAsync("--token", hostToken, "sales", "audit", sale.Id));

        // The decisions in order; the delivery of the order is written behind, by the next append or the sale's tick.
        var ledger = (await RunOkAsync("--token", hostToken, "sales", "ledger", sale.Id, "--limit", "10")).Split(Environment.NewLine);
        Assert.Matches("^1  .*  started$", ledger[0]);
        var decided = ledger.Where(l => l.Contains("  decided  ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, decided.Length);
        Assert.Matches($"^2  .*  decided  buyer-{id}  r1  x2  confirmed  remaining 3  {bought.OrderId}$", decided[0]);
        Assert.Matches($"^[34]  .*  decided  buyer-{id}  r2  x1  limitExceeded  remaining 3$", decided[1]);
        Assert.DoesNotContain(ledger, l => l.StartsWith("(more", StringComparison.Ordinal));
        Assert.Equal(["1", "(more: --after 1)"], (await RunOkAsync("--token", hostToken, "sales", "ledger", sale.Id, "--limit", "1")).Split(Environment.NewLine).Select(l => l.Split("  ")[0]));

        var intruder = await ConsoleResult.RunAsync(Server.BaseUri, "--token", Server.Token($"other-{id}", "host", "Other"), "sales", "audit", sale.Id);
        Assert.Equal(1, intruder.ExitCode);
        Assert.StartsWith("error: forbidden: ", intruder.Error);
    }

    private async Task<string> RunOkAsync(params string[] args)
    {
        var result = await ConsoleResult.RunAsync(Server.BaseUri, args);
        Assert.True(result.ExitCode == 0, $"`{string.Join(' ', args)}` exited {result.ExitCode}: {result.Error}");
        Assert.Equal("", result.Error);
        return result.Output;
    }

    private static JsonElement Json(string text) => JsonDocument.Parse(text).RootElement.Clone();
}
