using System.Net.Http.Json;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Cluster.Tests.Infrastructure;

/// <summary>Host and buyer steps against a cluster, over REST and the hub.</summary>
public static class Shop
{
    public static async Task<(Product Product, Room Room)> LiveRoomWithProductAsync(HttpClient host, int stock)
    {
        var product = await host.PostAsJsonAsync("/api/products", new { name = "Serum", brand = "Proya", price = 199, stock }).ReadAsync<Product>();
        var room = await host.PostAsJsonAsync("/api/rooms", new { title = "Failover night" }).ReadAsync<Room>();
        await host.PostAsync($"/api/rooms/{room.Id}/start", null).ReadAsync<Room>();
        return (product, room);
    }

    public static Task<FlashSale> StartSaleAsync(HttpClient host, string roomId, string productId, int quantity, int perUserLimit, int durationSeconds = 300) =>
        host.PostAsJsonAsync($"/api/rooms/{roomId}/flash-sales", new { productId, price = 99, quantity, perUserLimit, durationSeconds }).ReadAsync<FlashSale>();

    /// <summary>
    /// What a well-behaved client does: retry the same request id until the server answers, whatever fails on the
    /// way (a silo dying under the call, a timeout). Bounded: 80 tries.
    /// </summary>
    public static async Task<PurchaseResult> BuyUntilAnsweredAsync(HubConnection connection, string saleId, int quantity, string requestId)
    {
        Exception? last = null;
        for (var attempt = 0; attempt < 80; attempt++)
        {
            try
            {
                return await connection.InvokeAsync<PurchaseResult>("BuyNow", saleId, quantity, requestId).WaitAsync(TimeSpan.FromSeconds(15));
            }
            catch (Exception ex) when (ex is HubException or TimeoutException or InvalidOperationException or IOException)
            {
                last = ex;
                await Task.Delay(250);
            }
        }

        throw new TimeoutException($"BuyNow {requestId} got no answer in 80 tries", last);
    }

    public static async Task<Order[]> OrdersAsync(Uri hub, string token)
    {
        using var client = LiveCluster.Http(hub, token);
        return await client.GetAsync("/api/orders").ReadAsync<Order[]>();
    }
}
