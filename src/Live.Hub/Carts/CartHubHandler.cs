using Live.Contracts;
using Live.Contracts.Carts;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Carts;

/// <summary>The hub's <c>AddToCart</c>: the caller's cart grain adds the item, as <c>POST /api/cart/items</c> does over REST.</summary>
public sealed class CartHubHandler(IGrainFactory grains, UserRateLimiter limits)
{
    public Task<Cart> AddToCartAsync(HubCallerContext caller, string productId, int quantity, string? roomId)
    {
        var user = HubCaller.Require(caller);
        limits.Cart(user.UserId);
        return grains.GetGrainByKey<ICartGrain>(user.UserId).AddItemAsync(productId, quantity, string.IsNullOrEmpty(roomId) ? null : roomId, Ids.New("add"));
    }
}
