using Live.Contracts.FlashSales;
using Live.Hub.Api;
using Live.Hub.Identity;
using Live.Hub.Rooms;

namespace Live.Hub.Sales;

internal static class SaleEndpoints
{
    public static RouteGroupBuilder MapSales(this RouteGroupBuilder api)
    {
        api.MapGet("/flash-sales/{saleId}", async (string saleId, IGrainFactory grains, TimeProvider time) =>
            (await grains.Sale(saleId).GetAsync()).At(time.GetUtcNow()));

        var hosts = api.MapGroup("").RequireAuthorization(LivePolicies.Host).RequireRateLimiting(RestRateLimits.SaleWrites);
        hosts.MapPost("/rooms/{roomId}/flash-sales", async (string roomId, NewFlashSale body, LiveUser host, IGrainFactory grains) =>
        {
            var sale = await grains.Room(roomId).StartFlashSaleAsync(host.UserId, body);
            return TypedResults.Created($"/api/flash-sales/{sale.Id}", sale);
        });

        hosts.MapPost("/flash-sales/{saleId}/end", (string saleId, LiveUser host, IGrainFactory grains) =>
            grains.Sale(saleId).EndAsync(host.UserId));
        return api;
    }
}
