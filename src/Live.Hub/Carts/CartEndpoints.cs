using Live.Contracts.Carts;
using Live.Hub.Identity;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Carts;

internal static class CartEndpoints
{
    public static RouteGroupBuilder MapCarts(this RouteGroupBuilder api)
    {
        api.MapGet("/cart", (HttpContext http, IGrainFactory grains) => Cart(grains, http).GetAsync());

        api.MapPost("/cart/items", (AddCartItemRequest body, HttpContext http, IGrainFactory grains, UserRateLimiter limits) =>
            WritingCart(grains, http, limits).AddItemAsync(body.ProductId!, body.Quantity, string.IsNullOrEmpty(body.RoomId) ? null : body.RoomId));

        api.MapDelete("/cart/items/{productId}", (string productId, HttpContext http, IGrainFactory grains, UserRateLimiter limits) =>
            WritingCart(grains, http, limits).RemoveItemAsync(productId));

        api.MapPost("/cart/checkout", async (CheckoutRequest body, HttpContext http, IGrainFactory grains, IHubContext<LiveHub, ILiveClient> hub, UserRateLimiter limits) =>
        {
            var user = LiveUser.Require(http.User);
            limits.RestWrite(user.UserId);
            var outcome = await grains.GetGrain<ICartGrain>(user.UserId).CheckoutAsync(body.IdempotencyKey!);
            if (outcome.IsNew)
            {
                await hub.Clients.User(user.UserId).PurchaseConfirmed(outcome.Order);
            }

            return outcome.Order;
        });
        return api;
    }

    private static ICartGrain Cart(IGrainFactory grains, HttpContext http) =>
        grains.GetGrain<ICartGrain>(LiveUser.Require(http.User).UserId);

    private static ICartGrain WritingCart(IGrainFactory grains, HttpContext http, UserRateLimiter limits)
    {
        var user = LiveUser.Require(http.User);
        limits.RestWrite(user.UserId);
        return grains.GetGrain<ICartGrain>(user.UserId);
    }
}
