using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Hub.Identity;

namespace Live.Hub.Catalog;

internal static class CatalogEndpoints
{
    public static RouteGroupBuilder MapCatalog(this RouteGroupBuilder api)
    {
        api.MapPost("/products", async (NewProduct body, HttpContext http, IGrainFactory grains) =>
        {
            var host = LiveUser.RequireRole(http.User, Roles.Host);
            var id = Ids.New("prod");
            var product = await grains.GetGrain<IProductGrain>(id).CreateAsync(host.UserId, body);
            return TypedResults.Created($"/api/products/{id}", product);
        });

        api.MapGet("/products/{productId}", (string productId, IGrainFactory grains) =>
        {
            Ids.Require(productId, "productId");
            return grains.GetGrain<IProductGrain>(productId).GetAsync();
        });
        return api;
    }
}
