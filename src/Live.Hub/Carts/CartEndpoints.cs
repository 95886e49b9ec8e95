using Live.Contracts;
using Live.Contracts.Carts;
using Live.Hub.Api;
using Live.Hub.Identity;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Carts;

internal static class CartEndpoints
{
    public static RouteGroupBuilder MapCarts(this RouteGroupBuilder api)
    {
        var users = api.MapGroup("").RequireAuthorization(LivePolicies.User);
        users.MapGet("/cart", (LiveUser user, IGrainFactory grains) => grains.GetGrainByKey<ICartGrain>(user.UserId).GetAsync());

        var writes = users.MapGroup("").RequireRateLimiting(RestRateLimits.CartWrites);
        writes.MapPost("/cart/items", (AddCartItemRequest body, LiveUser user, IGrainFactory grains) =>
            grains.GetGrainByKey<ICartGrain>(user.UserId).AddItemAsync(body.ProductId!, body.Quantity, string.IsNullOrEmpty(body.RoomId) ? null : body.RoomId,
                body.IdempotencyKey is null ? CartAddIds.New() : CartAddIds.FromKey(body.IdempotencyKey)));

        writes.MapDelete("/cart/items/{productId}", (string productId, LiveUser user, IGrainFactory grains) =>
            grains.GetGrainByKey<ICartGrain>(user.UserId).RemoveItemAsync(productId));

        writes.MapPost("/cart/checkout", async (CheckoutRequest body, LiveUser user, IGrainFactory grains, IHubContext<LiveHub, ILiveClient> hub) =>
        {
            var outcome = await grains.GetGrainByKey<ICartGrain>(user.UserId).CheckoutAsync(body.IdempotencyKey!);
            if (outcome.IsNew)
            {
                await hub.Clients.User(user.UserId).PurchaseConfirmed(outcome.Order);
            }

            return outcome.Order;
        });
        return api;
    }
}
