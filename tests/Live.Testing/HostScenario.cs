using System.Net.Http.Json;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using Live.Contracts.Sellers;

namespace Live.Testing;

/// <summary>
/// Host-side set-up through the REST API: a product, a live room, a sale (used by the hub, web and console tests), and
/// the operator's licence that gives the host's products of a brand the verified badge.
/// </summary>
public sealed class HostScenario(LiveServer server, string hostId = "host-1")
{
    public string HostId { get; } = hostId;

    public HttpClient Host { get; } = server.Client(server.Token(hostId, "host", "Host"));

    /// <summary>An operator of the server (role <c>operator</c>), who licenses sellers.</summary>
    public HttpClient Operator { get; } = server.Client(server.Token("operator-1", "operator", "Operator"));

    /// <summary>The operator licenses this host for <paramref name="brand"/>; answers the seller's record.</summary>
    public Task<Seller> LicenseAsync(string brand = "Perfect Diary") =>
        Operator.PutAsync($"/api/sellers/{Uri.EscapeDataString(HostId)}/brands/{Uri.EscapeDataString(brand)}", null).ReadAsync<Seller>();

    public async Task<Product> CreateProductAsync(string name = "Rose Lip Balm", string brand = "Perfect Diary", decimal price = 129.00m, int? stock = 1000)
    {
        var response = await Host.PostAsJsonAsync("/api/products", new { name, brand, price, stock, tags = new[] { "beauty" } });
        return await response.ReadAsync<Product>();
    }

    public async Task<Room> CreateRoomAsync(bool start = true)
    {
        var room = await (await Host.PostAsJsonAsync("/api/rooms", new { title = "Spring launch", description = "New season" })).ReadAsync<Room>();
        if (start)
        {
            room = await (await Host.PostAsync($"/api/rooms/{room.Id}/start", null)).ReadAsync<Room>();
        }

        return room;
    }

    public async Task<FlashSale> StartSaleAsync(string roomId, string productId, int quantity = 10, int perUserLimit = 2, decimal price = 59.90m, int durationSeconds = 120)
    {
        var response = await Host.PostAsJsonAsync($"/api/rooms/{roomId}/flash-sales", new { productId, price, quantity, perUserLimit, durationSeconds });
        return await response.ReadAsync<FlashSale>();
    }
}
