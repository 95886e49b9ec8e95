using System.Net;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using Live.Hub.Identity;
using Live.Hub.Realtime;
using Live.Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Live.Hub.Tests.Api;

/// <summary>What an operator relies on: health (liveness apart from readiness), metrics, the dashboard, and a server that refuses unsafe keys.</summary>
[Collection(ServerCollection.Name)]
public sealed class OperationsTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Theory]
    [InlineData("Hub:Backplane", "Redis")]
    [InlineData("Cluster:Storage", "Redis")]
    public async Task ReadinessFailsWhileRedisIsDownAndLivenessDoesNot(string setting, string value)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string?>
        {
            [setting] = value,
            ["Redis:ConnectionString"] = redis.ConnectionString,
            ["Redis:KeyPrefix"] = $"health-{Guid.NewGuid():N}:",
        });
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health")).StatusCode);

        redis.Kill();

        await Eventually.GetAsync(
            "/health/ready to answer 503 with redis-server stopped",
            async () => (await server.Http.GetAsync("/health/ready")).StatusCode,
            status => status == HttpStatusCode.ServiceUnavailable,
            TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await server.Http.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task MetricsCountChatPurchasesAndRefusals()
    {
        var scenario = new HostScenario(Server, "host-metrics");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 3, perUserLimit: 1);
        await using var viewer = await Server.ConnectAsync(Server.Token("metered"));
        await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        await viewer.InvokeAsync<Live.Contracts.Rooms.ChatMessage>(nameof(LiveHub.SendChat), room.Id, "measured");
        Assert.Equal(PurchaseStatus.Confirmed, (await viewer.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNow), sale.Id, 1, "m-1")).Status);
        await Assert.ThrowsAsync<Microsoft.AspNetCore.SignalR.HubException>(() => viewer.InvokeAsync<long>(nameof(LiveHub.Like), room.Id, 0));

        // The Prometheus exporter caches a scrape for a moment: ask until the counters show up.
        string[] expected =
        [
            "redlive_hub_chat_messages_total", "redlive_hub_purchases_total{", "status=\"confirmed\"",
            "redlive_hub_refusals_total{", "code=\"invalid_argument\"", "redlive_sale_units_sold", "redlive_hub_viewers",
            "redlive_rooms_started_total",
        ];
        using var operatorClient = Server.Client(Server.Token("ops-metrics", "operator"));
        var metrics = await Eventually.LastAsync(
            () => operatorClient.GetStringAsync("/metrics"), m => expected.All(m.Contains), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(250));

        Assert.All(expected, name => Assert.Contains(name, metrics));
    }

    [Fact]
    public async Task TheOrleansDashboardIsServedInTheEmbeddedMode()
    {
        using var operatorClient = Server.Client(Server.Token("ops-dashboard", "operator"));
        var response = await operatorClient.GetAsync("/dashboard/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("html", response.Content.Headers.ContentType?.MediaType ?? "");
    }

    [Fact]
    public async Task TokensFromAnotherIssuerOrAudienceOrExpiredAreRefused()
    {
        var good = Server.Services.GetRequiredService<IOptions<LiveAuthOptions>>().Value;
        foreach (var bad in new[]
                 {
                     new LiveAuthOptions { SigningKey = good.SigningKey, Issuer = "someone-else", Audience = good.Audience },
                     new LiveAuthOptions { SigningKey = good.SigningKey, Issuer = good.Issuer, Audience = "another-app" },
                     new LiveAuthOptions { SigningKey = good.SigningKey, Issuer = good.Issuer, Audience = good.Audience, DevTokenLifetime = TimeSpan.FromMinutes(-5) },
                 })
        {
            var token = new TokenIssuer(Options.Create(bad), new ShiftedClock(bad.DevTokenLifetime < TimeSpan.Zero ? TimeSpan.FromMinutes(-10) : TimeSpan.Zero)).Issue("u", "U", "viewer");
            using var client = Server.Client(token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/cart")).StatusCode);
        }
    }

    [Theory]
    [InlineData("Embedded", "false", LiveAuthOptions.DevelopmentKey, "development key")]
    [InlineData("Embedded", "false", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "weak")]
    [InlineData("Embedded", "false", "too-short-key", "at least 32 bytes")]
    [InlineData("Client", "true", "a-perfectly-random-looking-key-0123456789", "embedded mode")]
    public async Task TheServerRefusesToStartWithUnsafeAuthSettings(string mode, string devTokens, string key, string reason)
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => LiveServer.StartAsync(new Dictionary<string, string?>
        {
            ["Hub:Mode"] = mode,
            ["Auth:DevTokens"] = devTokens,
            ["Auth:SigningKey"] = key,
        }));
        Assert.Contains(reason, error.Message);
    }

    private sealed class ShiftedClock(TimeSpan shift) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + shift;
    }
}
