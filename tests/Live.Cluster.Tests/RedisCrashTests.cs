using System.Collections.Concurrent;
using Live.Cluster.Tests.Infrastructure;
using Live.Contracts.FlashSales;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Cluster.Tests;

/// <summary>
/// Redis is the cluster's storage: killed (SIGKILL) in the middle of a rush and started again on the same data folder
/// (append-only file, <c>appendfsync always</c>), it must come back with every purchase it acknowledged.
/// </summary>
public sealed class RedisCrashTests
{
    [Fact]
    public async Task KillingRedisMidRushLosesNoConfirmedPurchaseAndSellsNothingTwice()
    {
        await using var cluster = await LiveCluster.StartAsync(silos: 2, hubs: 2);
        using var host = LiveCluster.Http(cluster.Hubs[0].BaseUri, cluster.Token("host-redis", "host"));
        var (product, room) = await Shop.LiveRoomWithProductAsync(host, stock: 1000);
        const int quantity = 200;
        const int limit = 2;
        var sale = await Shop.StartSaleAsync(host, room.Id, product.Id, quantity, limit);

        const int buyers = 150;
        var connections = new List<(string User, HubConnection Connection)>();
        for (var i = 0; i < buyers; i++)
        {
            var user = $"rbuyer-{i}";
            connections.Add((user, LiveCluster.Connection(cluster.Hubs[i % 2].BaseUri, cluster.Token(user))));
        }

        await Task.WhenAll(connections.Select(c => c.Connection.StartAsync()));
        var answers = new ConcurrentDictionary<string, (string User, PurchaseResult Result)>();
        var confirmations = 0;
        var killAfter = new TaskCompletionSource();

        async Task BuyAsync(string user, HubConnection connection, int units, string requestId)
        {
            var result = await BuyPatientlyAsync(connection, sale.Id, units, requestId);
            answers[requestId] = (user, result);
            if (result.Status == PurchaseStatus.Confirmed && Interlocked.Increment(ref confirmations) == 40)
            {
                killAfter.TrySetResult();
            }
        }

        // Three requests per buyer (1 + 1 + 1 or 2 + 1 + 1 units): some cross the limit, together they want more than there is.
        var rush = connections.SelectMany((c, i) => new[]
        {
            BuyAsync(c.User, c.Connection, 1 + (i % 2), $"{c.User}-a"),
            BuyAsync(c.User, c.Connection, 1, $"{c.User}-b"),
            BuyAsync(c.User, c.Connection, 1, $"{c.User}-c"),
        }).ToList();

        await killAfter.Task.WaitAsync(TimeSpan.FromSeconds(90));
        cluster.Redis.Kill();
        await Task.Delay(TimeSpan.FromSeconds(2));
        await cluster.Redis.RestartAsync();
        try
        {
            await Task.WhenAll(rush).WaitAsync(TimeSpan.FromMinutes(5));
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"rush failed around the Redis crash: {ex.Message} (last: {ex.InnerException?.Message})\n{cluster.Logs()}");
        }

        var confirmed = answers.Values.Where(a => a.Result.Status == PurchaseStatus.Confirmed).ToList();
        Assert.True(confirmed.Count > 40, $"only {confirmed.Count} confirmations");

        // No user over the per-user limit, by what they were told.
        Assert.All(confirmed.GroupBy(a => a.User), g => Assert.True(g.Sum(a => a.Result.Quantity) <= limit, $"{g.Key} was confirmed {g.Sum(a => a.Result.Quantity)}"));

        // Every confirmation the clients got has its order, and the order books hold nothing else for this sale.
        var expected = confirmed.Select(a => a.Result.OrderId!).Order().ToArray();
        Assert.Equal(expected.Length, expected.Distinct().Count());
        var users = connections.Select(c => c.User).ToArray();
        var orders = await Eventually.LastAsync(
            async () =>
            {
                var perUser = await Task.WhenAll(users.Select(u => Shop.OrdersAsync(cluster.Hubs[0].BaseUri, cluster.Token(u))));
                return perUser.SelectMany(o => o).Where(o => o.SaleId == sale.Id).ToArray();
            },
            found => found.Select(o => o.Id).Order().SequenceEqual(expected),
            TimeSpan.FromSeconds(60),
            TimeSpan.FromMilliseconds(500));
        var held = orders.Select(o => o.Id).Order().ToArray();
        var extra = orders.Where(o => !expected.Contains(o.Id)).Select(o => $"{o.Id} ({o.UserId}, {o.Items.Sum(i => i.Quantity)} units)");
        var missing = confirmed.Where(a => !held.Contains(a.Result.OrderId)).Select(a => $"{a.Result.OrderId} ({a.User}, {a.Result.Quantity} units)");
        Assert.True(
            expected.SequenceEqual(held),
            $"the order books and the confirmations differ: held but never confirmed to a client [{string.Join(", ", extra)}]; " +
            $"confirmed but not held [{string.Join(", ", missing)}]; answers per request: " +
            string.Join(", ", answers.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}={a.Value.Result.Status}/{a.Value.Result.OrderId}")));
        Assert.All(orders.GroupBy(o => o.UserId), g => Assert.True(g.Sum(o => o.Items.Sum(i => i.Quantity)) <= limit, $"{g.Key} holds {g.Sum(o => o.Items.Sum(i => i.Quantity))} units"));

        // The sale's count agrees with the orders: remaining == quantity - units ordered.
        var ordered = orders.Sum(o => o.Items.Sum(i => i.Quantity));
        var after = await cluster.Hubs[1].BaseUri.GetSaleAsync(sale.Id);
        Assert.Equal(quantity, after.Quantity);
        Assert.Equal(quantity - ordered, after.Remaining);

        // The sale's ledger, reloaded from the restarted Redis and replayed by its audit, agrees: nothing oversold, no
        // buyer over the limit, every confirmed unit in an order book, and the same counts as the orders and the sale.
        var audit = await host.GetAsync($"/api/flash-sales/{sale.Id}/audit").ReadAsync<FlashSaleAudit>();
        Assert.True(audit.Consistent, $"the audit found: {string.Join("; ", audit.Problems)}");
        Assert.Equal((quantity, ordered, quantity - ordered, ordered), (audit.Quantity, audit.Confirmed, audit.Remaining, audit.Orders));

        foreach (var (_, connection) in connections)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>
    /// A buyer's client that keeps retrying the same request id for up to three minutes, reconnecting when its
    /// connection was closed: while Redis restarts, the hub servers' backplane and the silos' storage reconnect with
    /// back-off, which on a loaded machine outlasts <see cref="Shop.BuyUntilAnsweredAsync"/>'s 80 quick tries.
    /// </summary>
    private static async Task<PurchaseResult> BuyPatientlyAsync(HubConnection connection, string saleId, int units, string requestId)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromMinutes(3);
        while (true)
        {
            try
            {
                return await Shop.BuyUntilAnsweredAsync(connection, saleId, units, requestId);
            }
            catch (TimeoutException) when (DateTimeOffset.UtcNow < deadline)
            {
                // A hub server may close connections while its backplane is down: reconnect, as a real client does.
                if (connection.State == HubConnectionState.Disconnected)
                {
                    try
                    {
                        await connection.StartAsync();
                    }
                    catch (Exception ex) when (ex is InvalidOperationException or HttpRequestException or IOException)
                    {
                        // Another request of the same buyer is reconnecting, or the hub is not ready yet.
                    }
                }

                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
    }
}
