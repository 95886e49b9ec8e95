using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Hub.Api;
using Live.Hub.Identity;

namespace Live.Hub.Catalog;

internal static class CatalogEndpoints
{
    public static RouteGroupBuilder MapCatalog(this RouteGroupBuilder api)
    {
        api.MapGet("/products/{productId}", (string productId, IGrainFactory grains) =>
        {
            Ids.Require(productId, "productId");
            return grains.GetGrainByKey<IProductGrain>(productId).GetAsync();
        });

        var hosts = api.MapGroup("").RequireAuthorization(LivePolicies.Host).RequireRateLimiting(RestRateLimits.ProductWrites);
        hosts.MapPost("/products", async (NewProduct body, LiveUser host, IGrainFactory grains) =>
        {
            var id = Ids.New("prod");
            var product = await grains.GetGrainByKey<IProductGrain>(id).CreateAsync(host.UserId, body);
            return TypedResults.Created($"/api/products/{id}", product);
        });
        return api;
    }
}
