using Live.Client.Models;
using Live.Hub.Delivery;
using Microsoft.Extensions.DependencyInjection;

namespace Live.Hub.Tests.Delivery;

/// <summary>
/// Sends to a user (<c>Clients.User</c>: the buyer's own <c>PurchaseConfirmed</c>) go through the connections' outboxes
/// like room events, on one server and across servers through the Redis relay: a connection of the buyer that stops
/// reading is held to the outbox's bounds and closed (must-deliver lane), and the buyer's other connection gets every
/// confirmation.
/// </summary>
public sealed class UserSendTests
{
    private const int OutboxFrames = 16;
    private const int OutboxBytes = 64 * 1024;
    private const int MaxPurchases = 3000;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ABuyersConnectionThatStopsReadingIsBoundedAndClosedWhileTheirOtherConnectionGetsEveryConfirmation(bool redis)
    {
        await using var redisServer = redis ? await RedisServer.StartAsync() : null;
        var prefix = $"user-sends-{Guid.NewGuid():N}:";
        await using var server = await LiveServer.StartAsync(Settings(redisServer, prefix), SmallSendBuffers.Apply);

        // With the backplane the stalled connection is on another hub server: the confirmation crosses Redis.
        await using var other = redisServer is null ? null : await LiveServer.StartAsync(Settings(redisServer, prefix), SmallSendBuffers.Apply);
        var stalledServer = other ?? server;

        var scenario = new HostScenario(server, $"host-user-sends-{redis}");
        var product = await scenario.CreateProductAsync(stock: 10_000);
        var room = await scenario.CreateRoomAsync();
        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: MaxPurchases, perUserLimit: MaxPurchases, durationSeconds: 600);

        var buyerId = $"buyer-user-sends-{redis}";
        await using var buyer = await server.ConnectClientAsync(server.Token(buyerId));
        var confirmed = new EventProbe<Order>("the buyer's confirmations");
        buyer.PurchaseConfirmed += confirmed.Record;
        await using var stalled = await StalledHubClient.ConnectAsync(new Uri(stalledServer.BaseUri, LiveHubExtensions.HubPath), stalledServer.Token(buyerId));
        var metrics = stalledServer.Services.GetRequiredService<DeliveryMetrics>();
        var delivery = stalledServer.Services.GetRequiredService<LocalDelivery>();
        await Eventually.TrueAsync("the stalled connection known as the buyer's", () => delivery.HasUser(buyerId), TimeSpan.FromSeconds(15));

        // From here on the stalled connection reads nothing while the buyer buys, one unit at a time.
        var orders = new List<string>();
        while (metrics.ClosedTotal == 0 && orders.Count < MaxPurchases)
        {
            var result = await buyer.BuyNowAsync(sale.Id, 1, $"req-{orders.Count}").WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(PurchaseStatuses.Confirmed, result.Status);
            orders.Add(result.OrderId!);
        }

        await Eventually.TrueAsync("the stalled connection closed by the server", () => metrics.ClosedTotal == 1, TimeSpan.FromSeconds(60));
        // Bounded: the frame that finds the outbox full of must-deliver frames is the one that closes it.
        Assert.InRange(metrics.PeakQueuedFrames, 1, OutboxFrames + 1);
        Assert.InRange(metrics.PeakQueuedBytes, 1, OutboxBytes);

        await confirmed.WaitUntilAsync(items => items.Count >= orders.Count, "every confirmation on the connection that reads", TimeSpan.FromSeconds(60));
        Assert.Equal(orders, confirmed.Items.Select(o => o.Id));
    }

    private static Dictionary<string, string?> Settings(RedisServer? redis, string prefix)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Hub:Outbox:MaxFrames"] = OutboxFrames.ToString(),
            ["Hub:Outbox:MaxBytes"] = OutboxBytes.ToString(),
            ["Hub:Outbox:WriteTimeout"] = "00:00:05",
            ["Hub:Outbox:SweepInterval"] = "00:00:00.200",
            ["RateLimits:HubCallsPerSecond"] = "100000",
            ["RateLimits:HubCallBurst"] = "100000",
            ["RateLimits:BuysPerSecond"] = "1000",
            ["RateLimits:BuyBurst"] = "1000",
        };
        if (redis is not null)
        {
            settings["Hub:Backplane"] = "Redis";
            settings["Redis:ConnectionString"] = redis.ConnectionString;
            settings["Redis:KeyPrefix"] = prefix;
        }

        return settings;
    }
}
