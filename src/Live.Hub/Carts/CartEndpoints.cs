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
            grains.GetGrainByKey<ICartGrain>(user.UserId).AddItemAsync(body.ProductId!, body.Quantity, string.IsNullOrEmpty(body.RoomId) ? null : body.RoomId, AddId(body)));

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

    /// <summary>
    /// The add's id: the client's idempotency key when it gave one (prefixed, so that it never meets an id of the hub
    /// server's), a new one otherwise. Either way the hub server re-sends the add with it across a silo's loss.
    /// </summary>
    private static string AddId(AddCartItemRequest body)
    {
        if (body.IdempotencyKey is null)
        {
            return Ids.New("add");
        }

        Ids.Require(body.IdempotencyKey, "idempotencyKey", MaxAddKeyLength);
        return "key:" + body.IdempotencyKey;
    }

    /// <summary>An add id is at most 64 characters; the key's prefix takes four.</summary>
    private const int MaxAddKeyLength = 60;
}
