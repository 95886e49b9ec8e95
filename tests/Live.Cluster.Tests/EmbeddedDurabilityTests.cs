using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Net.WebSockets;
using Live.Cluster.Tests.Infrastructure;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Cluster.Tests;

/// <summary>
/// The README's run command as a real process (embedded silo, the default SQLite storage), killed with SIGKILL in
/// the middle of a flash-sale rush and started again on the same data folder.
/// </summary>
/// <remarks>
/// No <c>Cluster:Storage</c> is set: what the server stores in is the default a user gets from the README's command,
/// so a default that stopped being durable fails here. Only the data folder is the test's own (a fresh temp folder
/// instead of <c>data</c> beside the build output), which the restart reuses.
/// </remarks>
public sealed class EmbeddedDurabilityTests
{
    [Fact]
    public async Task KillingTheEmbeddedServerMidRushLosesNoConfirmedPurchaseCartOrCheckoutAndSellsNothingTwice()
    {
        const int quantity = 3000;
        const int limit = 20;
        const int buyers = 200;
        const int requestsPerBuyer = 12;
        const int KillAfter = 100;
        var data = Path.Combine(Path.GetTempPath(), "redlive-data-" + Guid.NewGuid().ToString("N")[..8]);
        var tokens = new SignedTokens(LiveCluster.SigningKey);
        var server = new NodeProcess("embedded", "Live.Hub", LoopbackPorts.Pick(), new Dictionary<string, string>
        {
            ["Cluster:DataPath"] = data,
            ["Cluster:SiloPort"] = LoopbackPorts.Pick().ToString(),
            ["Cluster:GatewayPort"] = LoopbackPorts.Pick().ToString(),
            ["Cluster:ClusterId"] = $"durable-{Guid.NewGuid():N}",
            ["Auth:DevTokens"] = "false",
            ["Auth:SigningKey"] = LiveCluster.SigningKey,
            ["RateLimits:BuysPerSecond"] = "50",
            ["RateLimits:BuyBurst"] = "50",
            ["Telemetry:Dashboard"] = "false",
            ["Logging:LogLevel:Default"] = "Warning",
        });
        try
        {
            server.Start();
            await server.WaitHealthyAsync();
            using var host = LiveCluster.Http(server.BaseUri, tokens.Issue("host-d", "host"));
            var (product, room) = await Shop.LiveRoomWithProductAsync(host, stock: quantity);
            var sale = await Shop.StartSaleAsync(host, room.Id, product.Id, quantity, limit);

            // Carts and checkouts are grain state too: one buyer leaves an item in the cart, another checks out.
            var extra = await host.PostAsJsonAsync("/api/products", new { name = "Toner", brand = "Proya", price = 89, stock = 10 }).ReadAsync<Product>();
            using var carter = LiveCluster.Http(server.BaseUri, tokens.Issue("cart-d"));
            await carter.PostAsJsonAsync("/api/cart/items", new { productId = extra.Id, quantity = 2, roomId = room.Id }).ReadAsync<Cart>();
            using var checker = LiveCluster.Http(server.BaseUri, tokens.Issue("checkout-d"));
            await checker.PostAsJsonAsync("/api/cart/items", new { productId = extra.Id, quantity = 3 }).ReadAsync<Cart>();
            var checkout = await checker.PostAsJsonAsync("/api/cart/checkout", new { idempotencyKey = "checkout-d-1" }).ReadAsync<Order>();

            var users = Enumerable.Range(0, buyers).Select(i => $"buyer-{i}").ToList();
            // Each buyer asks one request after another, 1 or 2 units each: together they want more than there is, and
            // the buyers of 2 cross the per-user limit.
            var requests = users.SelectMany((user, i) => Enumerable.Range(0, requestsPerBuyer).Select(n => (User: user, Quantity: 1 + (i % 2), RequestId: $"{user}-{n}"))).ToList();
            var confirmedBeforeKill = new ConcurrentDictionary<string, PurchaseResult>();
            var killNow = new TaskCompletionSource();
            var connections = users.ToDictionary(u => u, u => LiveCluster.Connection(server.BaseUri, tokens.Issue(u)));
            await Task.WhenAll(connections.Values.Select(c => c.StartAsync())).WaitAsync(TimeSpan.FromSeconds(60));

            async Task BuyInTurnAsync(string user)
            {
                foreach (var request in requests.Where(r => r.User == user))
                {
                    try
                    {
                        var result = await connections[user].InvokeAsync<PurchaseResult>("BuyNow", sale.Id, request.Quantity, request.RequestId)
                            .WaitAsync(TimeSpan.FromSeconds(30));
                        if (result.Status == PurchaseStatus.Confirmed && confirmedBeforeKill.TryAdd(request.RequestId, result) && confirmedBeforeKill.Count >= KillAfter)
                        {
                            killNow.TrySetResult();
                        }
                    }
                    catch (Exception ex) when (ex is HubException or InvalidOperationException or IOException or WebSocketException or TaskCanceledException or TimeoutException)
                    {
                        // In flight when the process died: this and the buyer's later requests are asked after the restart.
                        return;
                    }
                }
            }

            var rush = users.Select(BuyInTurnAsync).ToList();
            await killNow.Task.WaitAsync(TimeSpan.FromSeconds(60));
            server.Kill();
            await Task.WhenAll(rush).WaitAsync(TimeSpan.FromSeconds(60));
            foreach (var connection in connections.Values)
            {
                await connection.DisposeAsync();
            }

            server.Start();
            await server.WaitHealthyAsync();

            var roomAfter = await host.GetAsync($"/api/rooms/{room.Id}").ReadAsync<RoomSnapshot>();
            var productAfter = await host.GetAsync($"/api/products/{product.Id}").ReadAsync<Product>();
            Assert.Equal(RoomStatus.Live, roomAfter.Room.Status);
            Assert.Equal(product.Name, productAfter.Name);

            // The cart still holds its item, the checkout's order is in its buyer's book, the stock it took stays taken
            // (a cart item takes none), and the same idempotency key answers the same order without taking more.
            var cartItem = Assert.Single((await carter.GetAsync("/api/cart").ReadAsync<Cart>()).Items);
            Assert.Equal((extra.Id, 2, room.Id), (cartItem.ProductId, cartItem.Quantity, cartItem.RoomId));
            var checkoutOrder = Assert.Single(await Shop.OrdersAsync(server.BaseUri, tokens.Issue("checkout-d")));
            var orderItem = Assert.Single(checkoutOrder.Items);
            Assert.Equal((checkout.Id, extra.Id, 3), (checkoutOrder.Id, orderItem.ProductId, orderItem.Quantity));
            Assert.Empty((await checker.GetAsync("/api/cart").ReadAsync<Cart>()).Items);
            Assert.Equal(checkout.Id, (await checker.PostAsJsonAsync("/api/cart/checkout", new { idempotencyKey = "checkout-d-1" }).ReadAsync<Order>()).Id);
            Assert.Equal(10 - 3, (await host.GetAsync($"/api/products/{extra.Id}").ReadAsync<Product>()).Stock);

            // Every request once more, from new connections: the same request id never buys twice, and a purchase
            // answered "confirmed" before the kill is answered the same way after it.
            var after = new ConcurrentDictionary<string, PurchaseResult>();
            await Parallel.ForEachAsync(users, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (user, _) =>
            {
                await using var connection = LiveCluster.Connection(server.BaseUri, tokens.Issue(user));
                await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
                foreach (var request in requests.Where(r => r.User == user))
                {
                    after[request.RequestId] = await Shop.BuyUntilAnsweredAsync(connection, sale.Id, request.Quantity, request.RequestId);
                }
            });
            foreach (var (requestId, before) in confirmedBeforeKill)
            {
                Assert.Equal(before, after[requestId]);
            }

            var saleAfter = await host.GetAsync($"/api/flash-sales/{sale.Id}").ReadAsync<FlashSale>();
            Assert.Equal((room.Id, quantity, limit), (saleAfter.RoomId, saleAfter.Quantity, saleAfter.PerUserLimit));
            var confirmed = after.Where(a => a.Value.Status == PurchaseStatus.Confirmed).ToDictionary(a => a.Key, a => a.Value);
            Assert.Equal(quantity - saleAfter.Remaining, confirmed.Values.Sum(r => r.Quantity));

            // The sale's outbox delivers (and after the crash redelivers) the orders; wait until every unit sold has one.
            var ordersByUser = await Eventually.GetAsync(
                "an order for every unit sold",
                async () =>
                {
                    var books = await Task.WhenAll(users.Select(async u => (User: u, Orders: await Shop.OrdersAsync(server.BaseUri, tokens.Issue(u)))));
                    return books.ToDictionary(b => b.User, b => b.Orders.Where(o => o.SaleId == sale.Id).ToList());
                },
                books => books.Values.Sum(orders => orders.Sum(o => o.Items.Sum(i => i.Quantity))) == quantity - saleAfter.Remaining,
                TimeSpan.FromSeconds(60),
                TimeSpan.FromMilliseconds(500));

            foreach (var (requestId, result) in confirmed)
            {
                var user = requests.Single(r => r.RequestId == requestId).User;
                Assert.Contains(ordersByUser[user], o => o.Id == result.OrderId);
            }

            Assert.All(ordersByUser, book => Assert.True(
                book.Value.Sum(o => o.Items.Sum(i => i.Quantity)) <= limit, $"{book.Key} holds more than the limit of {limit}"));
            Assert.Equal(confirmed.Count, ordersByUser.Values.Sum(orders => orders.Count));
            // The sale's ledger, replayed by its audit, agrees: nothing oversold, no buyer over the limit, every
            // confirmed unit in an order book, and the same counts as the answers and the sale.
            var audit = await host.GetAsync($"/api/flash-sales/{sale.Id}/audit").ReadAsync<FlashSaleAudit>();
            Assert.True(audit.Consistent, $"the audit found: {string.Join("; ", audit.Problems)}");
            Assert.Equal(
                (quantity, quantity - saleAfter.Remaining, saleAfter.Remaining, quantity - saleAfter.Remaining),
                (audit.Quantity, audit.Confirmed, audit.Remaining, audit.Orders));

            var unitsBeforeKill = confirmedBeforeKill.Values.Sum(r => r.Quantity);
            Assert.True(unitsBeforeKill < quantity, $"the kill came in the middle of the rush ({unitsBeforeKill} of {quantity} units confirmed before it)");
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new Xunit.Sdk.XunitException($"{ex.GetType().Name}: {ex.Message}\n---- embedded server log\n{server.Log}", ex);
        }
        finally
        {
            await server.DisposeAsync();
            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }
}
