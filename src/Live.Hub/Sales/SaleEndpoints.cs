using Live.Contracts;
using Live.Contracts.FlashSales;
using Live.Hub.Api;
using Live.Hub.Identity;
using Live.Hub.Rooms;

namespace Live.Hub.Sales;

internal static class SaleEndpoints
{
    /// <summary>Entries per ledger page when the query names no <c>limit</c> (at most 1000).</summary>
    public const int DefaultLedgerPage = 100;

    public static RouteGroupBuilder MapSales(this RouteGroupBuilder api)
    {
        api.MapGet("/flash-sales/{saleId}", async (string saleId, IGrainFactory grains, TimeProvider time) =>
            (await grains.Sale(saleId).GetAsync()).At(time.GetUtcNow()));

        var hosts = api.MapGroup("").RequireAuthorization(LivePolicies.Host).RequireRateLimiting(RestRateLimits.SaleWrites);
        hosts.MapPost("/rooms/{roomId}/flash-sales", async (string roomId, NewFlashSale body, LiveUser host, IGrainFactory grains) =>
        {
            var sale = await grains.Room(roomId).StartFlashSaleAsync(host.UserId, body, Ids.New("sale"));
            return TypedResults.Created($"/api/flash-sales/{sale.Id}", sale);
        });

        hosts.MapPost("/flash-sales/{saleId}/end", (string saleId, LiveUser host, IGrainFactory grains) =>
            grains.Sale(saleId).EndAsync(host.UserId));

        // The ledger and its audit, for the room's host (the grain checks which host). Reads, but they read the whole
        // ledger and every buyer's order book: limited like the sale's writes.
        hosts.MapGet("/flash-sales/{saleId}/ledger", (string saleId, long? after, int? limit, LiveUser host, IGrainFactory grains) =>
            grains.Sale(saleId).ReadLedgerAsync(host.UserId, after ?? 0, limit ?? DefaultLedgerPage));

        hosts.MapGet("/flash-sales/{saleId}/audit", (string saleId, LiveUser host, IGrainFactory grains) =>
            grains.Sale(saleId).AuditAsync(host.UserId));
        return api;
    }
}
