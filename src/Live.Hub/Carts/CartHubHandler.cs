using Live.Contracts;
using Live.Contracts.Carts;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Carts;

/// <summary>
/// The hub's <c>AddToCart</c> and <c>AddToCartWithKey</c>: the caller's cart grain adds the item, as
/// <c>POST /api/cart/items</c> does over REST, under the client's key when it gave one (<see cref="CartAddIds"/>).
/// </summary>
public sealed class CartHubHandler(IGrainFactory grains, UserRateLimiter limits)
{
    public Task<Cart> AddToCartAsync(HubCallerContext caller, string productId, int quantity, string? roomId) =>
        AddAsync(caller, productId, quantity, roomId, CartAddIds.New());

    public Task<Cart> AddToCartWithKeyAsync(HubCallerContext caller, string productId, int quantity, string? roomId, string? idempotencyKey) =>
        AddAsync(caller, productId, quantity, roomId, CartAddIds.FromKey(idempotencyKey));

    private Task<Cart> AddAsync(HubCallerContext caller, string productId, int quantity, string? roomId, string addId)
    {
        var user = HubCaller.Require(caller);
        limits.Cart(user.UserId);
        return grains.GetGrainByKey<ICartGrain>(user.UserId).AddItemAsync(productId, quantity, string.IsNullOrEmpty(roomId) ? null : roomId, addId);
    }
}
