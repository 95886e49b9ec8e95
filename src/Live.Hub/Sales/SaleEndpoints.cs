using Live.Contracts;
using Live.Contracts.FlashSales;
using Live.Hub.Identity;
using Live.Hub.Rooms;

namespace Live.Hub.Sales;

internal static class SaleEndpoints
{
    public static RouteGroupBuilder MapSales(this RouteGroupBuilder api)
    {
        api.MapPost("/rooms/{roomId}/flash-sales", async (string roomId, NewFlashSale body, HttpContext http, IGrainFactory grains) =>
        {
            var sale = await grains.Room(roomId).StartFlashSaleAsync(Host(http), body);
            return TypedResults.Created($"/api/flash-sales/{sale.Id}", sale);
        });

        api.MapPost("/flash-sales/{saleId}/end", (string saleId, HttpContext http, IGrainFactory grains) =>
            grains.Sale(saleId).EndAsync(Host(http)));

        api.MapGet("/flash-sales/{saleId}", async (string saleId, IGrainFactory grains, TimeProvider time) =>
            (await grains.Sale(saleId).GetAsync()).At(time.GetUtcNow()));
        return api;
    }

    private static string Host(HttpContext http) => LiveUser.RequireRole(http.User, Roles.Host).UserId;
}
