using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using Live.Contracts.Rooms;
using Live.Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Hub.Tests.Security;

/// <summary>The REST calls' rate limits (writes and reads) and body limit, refused with the protocol's problems.</summary>
[Collection(ServerCollection.Name)]
public sealed class RestLimitTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Fact]
    public async Task ABurstOfProductWritesIsRefusedWithRateLimitedAndCreatesNothingPastTheLimit()
    {
        using var host = Server.Client(Server.Token("host-burst", "host"));
        var responses = await Task.WhenAll(Enumerable.Range(0, 80).Select(i =>
            host.PostAsJsonAsync("/api/products", new { name = $"Balm {i}", brand = "Acme", price = 1.5m, stock = 1 })));

        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.Equal(80, refused.Count + responses.Count(r => r.StatusCode == HttpStatusCode.Created));
        await Problems.AssertAsync(refused[0], HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(refused[0].Headers.RetryAfter);

        // Each kind of call has its own policy, and each user their own bucket.
        using var sameHost = Server.Client(Server.Token("host-burst", "host"));
        Assert.Equal(HttpStatusCode.Created, (await sameHost.PostAsJsonAsync("/api/rooms", new { title = "Still allowed" })).StatusCode);
        using var otherHost = Server.Client(Server.Token("host-calm", "host"));
        Assert.Equal(HttpStatusCode.Created, (await otherHost.PostAsJsonAsync("/api/products", new { name = "Balm", brand = "Acme", price = 1.5m, stock = 1 })).StatusCode);
    }

    [Fact]
    public async Task ABurstOfReadsIsRefusedWithRateLimitedPerUser()
    {
        using var buyer = Server.Client(Server.Token("reader-burst"));
        var responses = await Task.WhenAll(Enumerable.Range(0, 160).Select(_ => buyer.GetAsync("/api/cart")));

        // The burst (100 by default) and what refilled meanwhile pass; the rest is refused.
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(refused);
        Assert.Equal(160, refused.Count + responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        await Problems.AssertAsync(refused[0], HttpStatusCode.TooManyRequests, "rate_limited");
        Assert.NotNull(refused[0].Headers.RetryAfter);

        // Another user's reads have their own bucket.
        using var other = Server.Client(Server.Token("reader-calm"));
        Assert.Equal(HttpStatusCode.OK, (await other.GetAsync("/api/cart")).StatusCode);
    }

    [Fact]
    public async Task AnonymousReadsAreLimitedPerAddressApartFromSignedInUsers()
    {
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimits:AnonymousReadsPerSecond"] = "1",
            ["RateLimits:AnonymousReadBurst"] = "5",
        });

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => server.Http.GetAsync("/api/rooms")));
        var refused = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.InRange(refused.Count, 20 - 5 - 2, 20 - 5);
        await Problems.AssertAsync(refused[0], HttpStatusCode.TooManyRequests, "rate_limited");

        // A signed-in caller from the same address reads on its own (user) bucket.
        using var viewer = server.Client(server.Token("reader-signed-in"));
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/rooms")).StatusCode);
    }

    [Fact]
    public async Task ABodyOverTheLimitIsRefusedWith413BeforeItIsRead()
    {
        var token = Server.Token("host-big-body", "host");
        var big = "{\"title\":\"" + new string('x', 64 * 1024) + "\"}";
        using var host = Server.Client(token);
        var response = await host.PostAsync("/api/rooms", new StringContent(big, Encoding.UTF8, "application/json"));
        Assert.Contains("larger than", await Problems.AssertAsync(response, HttpStatusCode.RequestEntityTooLarge, "invalid_argument"));

        // Announce 30 MB and send none of it: an answer at all proves the server did not wait to read the body.
        var (status, body) = await SendHeadersOnlyAsync("/api/rooms", 30 * 1024 * 1024, token);
        Assert.Equal(413, status);
        Assert.Contains("\"invalid_argument\"", body);
    }

    [Fact]
    public async Task AnAnonymousBigBodyIsRefusedAsUnauthenticatedBeforeAnythingElse()
    {
        var (status, body) = await SendHeadersOnlyAsync("/api/rooms", 30 * 1024 * 1024, token: null);
        Assert.Equal(401, status);
        Assert.Contains("\"unauthenticated\"", body);
    }

    [Fact]
    public async Task AnonymousRoomSnapshotsShowChattersByDisplayNameWithPseudonymousIds()
    {
        var scenario = new HostScenario(Server, "host-privacy");
        var room = await scenario.CreateRoomAsync();
        await using var chatter = await Server.ConnectAsync(Server.Token("customer-4711", displayName: "Mei"));
        await chatter.InvokeAsync<RoomSnapshot>("JoinRoom", room.Id);
        await chatter.InvokeAsync<ChatMessage>("SendChat", room.Id, "hello");
        await chatter.InvokeAsync<ChatMessage>("SendChat", room.Id, "again");

        var anonymous = await Eventually.GetAsync(
            "two chat messages in the snapshot", () => Server.Http.GetFromJsonAsync<RoomSnapshot>($"/api/rooms/{room.Id}")!, s => s!.RecentChat.Count == 2, TimeSpan.FromSeconds(10));
        Assert.All(anonymous!.RecentChat, m => Assert.Equal("Mei", m.DisplayName));
        Assert.All(anonymous.RecentChat, m => Assert.StartsWith("anon-", m.UserId));
        Assert.Single(anonymous.RecentChat.Select(m => m.UserId).Distinct());
        Assert.DoesNotContain("customer-4711", await Server.Http.GetStringAsync($"/api/rooms/{room.Id}"));

        await using var viewer = await Server.ConnectAsync();
        Assert.All((await viewer.InvokeAsync<RoomSnapshot>("JoinRoom", room.Id)).RecentChat, m => Assert.StartsWith("anon-", m.UserId));

        // A signed-in caller (a moderator picking whom to mute, say) sees the real ids.
        using var signedIn = Server.Client(Server.Token("someone"));
        Assert.All((await signedIn.GetFromJsonAsync<RoomSnapshot>($"/api/rooms/{room.Id}"))!.RecentChat, m => Assert.Equal("customer-4711", m.UserId));
    }

    /// <summary>Sends a POST's headers announcing <paramref name="contentLength"/> bytes, no body, and reads the answer.</summary>
    private async Task<(int Status, string Body)> SendHeadersOnlyAsync(string path, long contentLength, string? token)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(Server.BaseUri.Host, Server.BaseUri.Port);
        await using var stream = tcp.GetStream();
        var head = $"POST {path} HTTP/1.1\r\nHost: {Server.BaseUri.Authority}\r\nContent-Type: application/json\r\nContent-Length: {contentLength}\r\n"
                   + (token is null ? "" : $"Authorization: Bearer {token}\r\n") + "\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var statusLine = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)) ?? "";
        var answer = new StringBuilder();
        var buffer = new char[4096];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!answer.ToString().Contains('}'))
        {
            var read = await reader.ReadAsync(buffer, cts.Token);
            if (read == 0)
            {
                break;
            }

            answer.Append(buffer, 0, read);
        }

        return (int.Parse(statusLine.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture), answer.ToString());
    }
}
