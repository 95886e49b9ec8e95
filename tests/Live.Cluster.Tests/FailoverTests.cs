using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Live.Client;
using Live.Cluster.Tests.Infrastructure;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Cluster.Tests;

/// <summary>What brands and viewers are promised when machines die: nothing confirmed lost, nothing sold twice.</summary>
public sealed class FailoverTests
{
    [Fact]
    public async Task KillingTheSaleSiloMidRushLosesNothingAndSellsNothingTwice()
    {
        // One silo first, so the sale's grain is certainly on it; then a second silo to fail over to.
        await using var cluster = await LiveCluster.StartAsync(silos: 1, hubs: 2);
        using var host = LiveCluster.Http(cluster.Hubs[0].BaseUri, cluster.Token("host-f", "host"));
        var (product, room) = await Shop.LiveRoomWithProductAsync(host, stock: 1000);
        const int quantity = 150;
        const int limit = 2;
        var sale = await Shop.StartSaleAsync(host, room.Id, product.Id, quantity, limit);
        var survivor = cluster.AddSilo();
        survivor.Start();
        await survivor.WaitHealthyAsync();

        const int buyers = 300;
        var connections = new List<(string User, HubConnection Connection)>();
        for (var i = 0; i < buyers; i++)
        {
            var user = $"buyer-{i}";
            var connection = LiveCluster.Connection(cluster.Hubs[i % 2].BaseUri, cluster.Token(user));
            connections.Add((user, connection));
        }

        await Task.WhenAll(connections.Select(c => c.Connection.StartAsync()));
        var answers = new ConcurrentDictionary<string, (string User, int Quantity, PurchaseResult Result)>();
        var confirmations = 0;
        var killAfter = new TaskCompletionSource();

        async Task BuyAsync(string user, HubConnection connection, int quantity, string requestId)
        {
            var result = await Shop.BuyUntilAnsweredAsync(connection, sale.Id, quantity, requestId);
            answers[requestId] = (user, quantity, result);
            if (result.Status == PurchaseStatus.Confirmed && Interlocked.Increment(ref confirmations) == 30)
            {
                killAfter.TrySetResult();
            }
        }

        // Every buyer sends two requests of 1 or 2 units: some cross the limit, together they want more than there is.
        var rush = connections.SelectMany((c, i) => new[]
        {
            BuyAsync(c.User, c.Connection, 1 + (i % 2), $"{c.User}-a"),
            BuyAsync(c.User, c.Connection, 1, $"{c.User}-b"),
        }).ToList();

        await killAfter.Task.WaitAsync(TimeSpan.FromSeconds(60));
        cluster.Silos[0].Kill();
        try
        {
            await Task.WhenAll(rush).WaitAsync(TimeSpan.FromMinutes(4));
        }
        catch (Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"rush failed after the kill: {ex.Message}\n{cluster.Logs()}");
        }

        var confirmed = answers.Values.Where(a => a.Result.Status == PurchaseStatus.Confirmed).ToList();
        var soldUnits = confirmed.Sum(a => a.Result.Quantity);

        // A retried request id after the failover gets its original answer.
        foreach (var (requestId, answer) in answers.Take(60))
        {
            var connection = connections.Single(c => c.User == answer.User).Connection;
            Assert.Equal(answer.Result, await Shop.BuyUntilAnsweredAsync(connection, sale.Id, answer.Quantity, requestId));
        }

        var current = await cluster.Hubs[1].BaseUri.GetSaleAsync(sale.Id);
        Assert.Equal(quantity, current.Quantity);
        Assert.Equal(soldUnits, current.Quantity - current.Remaining);
        Assert.True(soldUnits <= quantity, $"oversold: {soldUnits} of {quantity}");
        Assert.Equal(quantity, soldUnits);
        Assert.All(confirmed.GroupBy(a => a.User), g => Assert.True(g.Sum(a => a.Result.Quantity) <= limit, $"{g.Key} bought {g.Sum(a => a.Result.Quantity)}"));

        // Every confirmation has exactly one order (delivered from the sale's outbox, also after the failover).
        var expected = confirmed.Select(a => a.Result.OrderId!).Order().ToArray();
        Assert.Equal(expected.Length, expected.Distinct().Count());
        var stored = await Eventually.LastAsync(
            async () =>
            {
                var perUser = await Task.WhenAll(confirmed.Select(a => a.User).Distinct().Select(u => Shop.OrdersAsync(cluster.Hubs[0].BaseUri, cluster.Token(u))));
                return perUser.SelectMany(o => o).Where(o => o.SaleId == sale.Id).Select(o => o.Id).Order().ToArray();
            },
            orders => orders.SequenceEqual(expected),
            TimeSpan.FromSeconds(30),
            TimeSpan.FromMilliseconds(250));

        Assert.Equal(expected, stored);
        foreach (var (_, connection) in connections)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task StoppingAndRestartingTheWholeClusterKeepsRoomsCartsOrdersAndInventory()
    {
        await using var cluster = await LiveCluster.StartAsync(silos: 2, hubs: 1);
        var hub = cluster.Hubs[0].BaseUri;
        using var host = LiveCluster.Http(hub, cluster.Token("host-r", "host"));
        var (product, room) = await Shop.LiveRoomWithProductAsync(host, stock: 20);
        await host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id }).ReadAsync<RoomSnapshot>();
        var sale = await Shop.StartSaleAsync(host, room.Id, product.Id, quantity: 10, perUserLimit: 3);

        await using (var viewer = new LiveClient(LiveCluster.Connection(hub, cluster.Token("ada"))))
        {
            await viewer.StartAsync();
            await viewer.JoinRoomAsync(room.Id);
            await viewer.SendChatAsync(room.Id, "first!");
            await viewer.LikeAsync(room.Id, 5);
            var bought = await viewer.BuyNowAsync(sale.Id, 3, "ada-1");
            Assert.Equal(Live.Client.Models.PurchaseStatuses.Confirmed, bought.Status);
        }

        using (var carol = LiveCluster.Http(hub, cluster.Token("carol")))
        {
            await carol.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 2 }).ReadAsync<Cart>();
        }

        Order checkout;
        using (var dan = LiveCluster.Http(hub, cluster.Token("dan")))
        {
            await dan.PostAsJsonAsync("/api/cart/items", new { productId = product.Id, quantity = 1 }).ReadAsync<Cart>();
            checkout = await dan.PostAsJsonAsync("/api/cart/checkout", new { idempotencyKey = "dan-1" }).ReadAsync<Order>();
        }

        var adaOrders = await Shop.OrdersAsync(hub, cluster.Token("ada"));

        foreach (var node in cluster.Hubs.Concat(cluster.Silos))
        {
            await node.StopAsync();
        }

        await cluster.RestartAllAsync();

        using var anonymous = LiveCluster.Http(hub, null);
        var snapshot = await anonymous.GetAsync($"/api/rooms/{room.Id}").ReadAsync<RoomSnapshot>();
        Assert.Equal(RoomStatus.Live, snapshot.Room.Status);
        Assert.Equal(product.Id, snapshot.PinnedProduct?.Id);
        Assert.Equal(["first!"], snapshot.RecentChat.Select(m => m.Text));
        Assert.Equal(5, snapshot.Likes);
        Assert.Equal(sale.Id, Assert.Single(snapshot.ActiveSales).Id);

        var after = await hub.GetSaleAsync(sale.Id);
        Assert.Equal((SaleStatus.Active, 7), (after.Status, after.Remaining));
        Assert.Equal(20 - 10 - 1, (await anonymous.GetAsync($"/api/products/{product.Id}").ReadAsync<Product>()).Stock);

        using var carolAgain = LiveCluster.Http(hub, cluster.Token("carol"));
        var cart = await carolAgain.GetAsync("/api/cart").ReadAsync<Cart>();
        Assert.Equal((product.Id, 2), (cart.Items.Single().ProductId, cart.Items.Single().Quantity));
        Assert.Equal([checkout.Id], (await Shop.OrdersAsync(hub, cluster.Token("dan"))).Select(o => o.Id));
        Assert.Equal(adaOrders.Select(o => o.Id), (await Shop.OrdersAsync(hub, cluster.Token("ada"))).Select(o => o.Id));

        await using var ada = LiveCluster.Connection(hub, cluster.Token("ada"));
        await ada.StartAsync();
        var replay = await Shop.BuyUntilAnsweredAsync(ada, sale.Id, 3, "ada-1");
        Assert.Equal(adaOrders.Single().Id, replay.OrderId);
        Assert.Equal(PurchaseStatus.LimitExceeded, (await Shop.BuyUntilAnsweredAsync(ada, sale.Id, 1, "ada-2")).Status);
    }

    [Fact]
    public async Task ViewersOfAKilledHubReconnectToAnotherAndKeepReceivingEvents()
    {
        await using var cluster = await LiveCluster.StartAsync(silos: 1, hubs: 2);
        await using var balancer = new TcpBalancer(cluster.Hubs.Select(h => h.HttpPort).ToArray());
        using var host = LiveCluster.Http(cluster.Hubs[1].BaseUri, cluster.Token("host-k", "host"));
        var (product, room) = await Shop.LiveRoomWithProductAsync(host, stock: 10);

        // Viewers as an app developer writes them: Live.Client reconnects and resumes the room by itself (no re-join by
        // hand), on whichever hub server the balancer now sends it to.
        var viewers = new List<(LiveClient Client, LiveRoom Room, RoomRecorder Seen)>();
        var reconnecting = 0;
        var reconnected = 0;
        try
        {
            for (var i = 0; i < 6; i++)
            {
                var client = new LiveClient(LiveCluster.Connection(balancer.BaseUri, cluster.Token($"watcher-{i}"), reconnect: true));
                client.Reconnecting += _ => Interlocked.Increment(ref reconnecting);
                client.Reconnected += () => Interlocked.Increment(ref reconnected);
                await client.StartAsync();
                var seen = new RoomRecorder();
                viewers.Add((client, await client.JoinRoomAsync(room.Id, seen.Attach), seen));
            }

            cluster.Hubs[0].Kill();
            await Eventually.LastAsync(
                () => Volatile.Read(ref reconnected) >= 3 && viewers.All(v => v.Client.State == HubConnectionState.Connected), TimeSpan.FromSeconds(30));

            Assert.Equal(3, Volatile.Read(ref reconnecting));
            Assert.Equal(3, Volatile.Read(ref reconnected));
            await host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id }).ReadAsync<RoomSnapshot>();
            foreach (var (_, joined, seen) in viewers)
            {
                await seen.Pinned.WaitUntilAsync(p => p.Count == 1, "the pin after the failover", TimeSpan.FromSeconds(40));

                // The moved viewers resumed the same stream on the other hub server: none started again from a snapshot.
                Assert.Equal(1, joined.Resets);
                Assert.Single(seen.Pinned.Items);
            }
        }
        finally
        {
            foreach (var (client, _, _) in viewers)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task HubServersReportARedisBlipAndRecoverFromIt()
    {
        await using var cluster = await LiveCluster.StartAsync(silos: 1, hubs: 2);
        using var host = LiveCluster.Http(cluster.Hubs[0].BaseUri, cluster.Token("host-b", "host"));
        var (_, room) = await Shop.LiveRoomWithProductAsync(host, stock: 10);

        cluster.Redis.Kill();
        await WaitForHealthAsync(cluster.Hubs[0].BaseUri, HttpStatusCode.ServiceUnavailable, "hub A unhealthy while Redis is down");
        await cluster.Redis.RestartAsync();
        await WaitForHealthAsync(cluster.Hubs[0].BaseUri, HttpStatusCode.OK, "hub A healthy again");
        await WaitForHealthAsync(cluster.Hubs[1].BaseUri, HttpStatusCode.OK, "hub B healthy again");
        Assert.True(cluster.Hubs.All(h => h.IsRunning), "a hub server died with Redis");

        await using var onA = new LiveClient(LiveCluster.Connection(cluster.Hubs[0].BaseUri, cluster.Token("blip-a")));
        await using var onB = new LiveClient(LiveCluster.Connection(cluster.Hubs[1].BaseUri, cluster.Token("blip-b")));
        var seenB = new RoomRecorder();
        await onA.StartAsync();
        await onB.StartAsync();
        await onA.JoinRoomAsync(room.Id);
        await onB.JoinRoomAsync(room.Id, seenB.Attach);
        var sent = await onA.SendChatAsync(room.Id, "still here");
        await seenB.Chat.WaitUntilAsync(c => c.Any(m => m.Id == sent.Id), "chat across hubs after the blip", TimeSpan.FromSeconds(30));
    }

    private static async Task WaitForHealthAsync(Uri hub, HttpStatusCode status, string what)
    {
        using var http = new HttpClient { BaseAddress = hub, Timeout = TimeSpan.FromSeconds(10) };
        await Eventually.GetAsync(
            what, async () => (await http.GetAsync("/health")).StatusCode, last => last == status, TimeSpan.FromSeconds(45), TimeSpan.FromMilliseconds(250),
            retryOn: e => e is TaskCanceledException);
    }
}

internal static class SaleQueries
{
    public static async Task<FlashSale> GetSaleAsync(this Uri hub, string saleId)
    {
        using var http = LiveCluster.Http(hub, null);
        return await http.GetAsync($"/api/flash-sales/{saleId}").ReadAsync<FlashSale>();
    }
}
