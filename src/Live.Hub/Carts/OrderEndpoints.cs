using Live.Contracts;
using Live.Contracts.Orders;
using Live.Hub.Identity;

namespace Live.Hub.Carts;

/// <summary>The caller's orders: the ones checkout and <c>BuyNow</c> placed.</summary>
internal static class OrderEndpoints
{
    /// <summary>The page size of <c>GET /api/orders?before=</c> given without a <c>limit</c>.</summary>
    public const int DefaultPage = 50;

    public static RouteGroupBuilder MapOrders(this RouteGroupBuilder api)
    {
        // Without paging parameters the whole book, newest first, as v1 answers it; with `limit` or `before` a page of
        // the same Order[] shape, and the next page's address in the Link header while there are older orders.
        api.MapGet("/orders", async (string? before, int? limit, LiveUser user, IGrainFactory grains, HttpResponse response) =>
            {
                var book = grains.GetGrainByKey<IOrderBookGrain>(user.UserId);
                if (before is null && limit is null)
                {
                    return await book.ListAsync();
                }

                var size = limit ?? DefaultPage;
                var page = await book.ListPageAsync(before, size);
                if (page.Next is not null)
                {
                    response.Headers.Link = $"</api/orders?limit={size}&before={Uri.EscapeDataString(page.Next)}>; rel=\"next\"";
                }

                return page.Orders;
            })
            .RequireAuthorization(LivePolicies.User);
        return api;
    }
}
