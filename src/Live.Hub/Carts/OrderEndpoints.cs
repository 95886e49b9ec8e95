using Live.Contracts;
using Live.Contracts.Orders;
using Live.Hub.Identity;

namespace Live.Hub.Carts;

/// <summary>The caller's orders: the ones checkout and <c>BuyNow</c> placed.</summary>
internal static class OrderEndpoints
{
    public static RouteGroupBuilder MapOrders(this RouteGroupBuilder api)
    {
        api.MapGet("/orders", (LiveUser user, IGrainFactory grains) => grains.GetGrainByKey<IOrderBookGrain>(user.UserId).ListAsync())
            .RequireAuthorization(LivePolicies.User);
        return api;
    }
}
