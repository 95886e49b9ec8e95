using Live.Contracts;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>Building blocks of the tests; every test makes its own users, products, rooms and sales.</summary>
public static class Scenario
{
    public static Caller NewUser(string name = "Viewer")
    {
        var id = Ids.New("user");
        return new Caller { UserId = id, DisplayName = $"{name} {id[^4..]}" };
    }

    /// <summary>A new product of <paramref name="owner"/> (a new host when null), the only host who may pin it or sell it.</summary>
    public static async Task<Product> CreateProductAsync(
        this IGrainFactory grains, string? owner = null, int? stock = 100, decimal price = 199.99m, string brand = "Acme")
    {
        var id = Ids.New("prod");
        return await grains.GetGrain<IProductGrain>(id).CreateAsync(owner ?? Ids.New("host"), new NewProduct
        {
            Name = "Silk scarf",
            Brand = brand,
            Price = price,
            Stock = stock,
        });
    }

    public static async Task<int?> StockOfAsync(this IGrainFactory grains, string productId) =>
        (await grains.GetGrain<IProductGrain>(productId).GetAsync()).Stock;

    /// <summary>A chat message as a hub server sends it: a new message id per call.</summary>
    public static Task<ChatMessage> SendChatAsync(this ILiveRoomGrain room, Caller caller, string text) =>
        room.SendChatAsync(caller, text, Ids.New("msg"));

    /// <summary>Likes as a hub server sends them: a new id per call.</summary>
    public static Task<long> LikeAsync(this ILiveRoomGrain room, Caller caller, int count) =>
        room.LikeAsync(caller, count, Ids.New("like"));

    /// <summary>An add to a cart as a hub server sends it: a new add id per call.</summary>
    public static Task<Cart> AddItemAsync(this ICartGrain cart, string productId, int quantity, string? roomId) =>
        cart.AddItemAsync(productId, quantity, roomId, Ids.New("add"));

    /// <summary>A flash sale started as a hub server starts it: a new sale id per call.</summary>
    public static Task<FlashSale> StartFlashSaleAsync(this ILiveRoomGrain room, string hostId, NewFlashSale sale) =>
        room.StartFlashSaleAsync(hostId, sale, Ids.New("sale"));

    /// <summary>A scheduled room of a new host.</summary>
    public static async Task<(ILiveRoomGrain Room, string RoomId, string HostId)> CreateRoomAsync(this IGrainFactory grains)
    {
        var roomId = Ids.New("room");
        var hostId = Ids.New("host");
        var room = grains.GetGrain<ILiveRoomGrain>(roomId);
        await room.CreateAsync(hostId, new NewRoom { Title = "Spring drop", Description = "New colours" });
        return (room, roomId, hostId);
    }

    /// <summary>A live room of a new host.</summary>
    public static async Task<(ILiveRoomGrain Room, string RoomId, string HostId)> CreateLiveRoomAsync(this IGrainFactory grains)
    {
        var created = await grains.CreateRoomAsync();
        await created.Room.StartAsync(created.HostId);
        return created;
    }

    public static NewFlashSale SaleOf(Product product, int quantity = 10, int perUserLimit = 1, int durationSeconds = 60, decimal price = 99m) =>
        new()
        {
            ProductId = product.Id,
            Price = price,
            Quantity = quantity,
            PerUserLimit = perUserLimit,
            DurationSeconds = durationSeconds,
        };

    /// <summary>Asserts the call is refused with the protocol error <paramref name="code"/>.</summary>
    public static async Task<LiveException> RefusedAsync(string code, Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<LiveException>(call);
        Assert.Equal(code, error.Code);
        return error;
    }
}
