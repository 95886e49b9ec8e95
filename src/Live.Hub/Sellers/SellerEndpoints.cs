using Live.Contracts;
using Live.Contracts.Sellers;
using Live.Hub.Identity;
using Live.Hub.Realtime;

namespace Live.Hub.Sellers;

/// <summary>
/// Operators license sellers (host ids) for brands, which gives those sellers' products of the brand the verified
/// badge (RedLive's extension of the protocol). A host may read its own record.
/// </summary>
internal static class SellerEndpoints
{
    /// <summary>Host ids are token subjects, which an external identity provider may make longer than our own ids.</summary>
    private const int MaxHostIdLength = 256;

    public static RouteGroupBuilder MapSellers(this RouteGroupBuilder api)
    {
        api.MapPut("/sellers/{hostId}/brands/{brand}", (string hostId, string brand, HttpContext http, IGrainFactory grains, UserRateLimiter limits) =>
        {
            RequireOperator(http, limits);
            return Seller(grains, hostId).LicenseAsync(brand);
        });

        api.MapDelete("/sellers/{hostId}/brands/{brand}", (string hostId, string brand, HttpContext http, IGrainFactory grains, UserRateLimiter limits) =>
        {
            RequireOperator(http, limits);
            return Seller(grains, hostId).RevokeAsync(brand);
        });

        api.MapGet("/sellers/{hostId}", (string hostId, HttpContext http, IGrainFactory grains) =>
        {
            var user = LiveUser.Require(http.User);
            if (user.Role != Roles.Operator && user.UserId != hostId)
            {
                throw LiveException.Forbidden("only an operator or the seller may read a seller's licences");
            }

            return Seller(grains, hostId).GetAsync();
        });
        return api;
    }

    private static void RequireOperator(HttpContext http, UserRateLimiter limits)
    {
        var user = LiveUser.RequireRole(http.User, Roles.Operator);
        limits.RestWrite(user.UserId);
    }

    private static ISellerGrain Seller(IGrainFactory grains, string hostId)
    {
        Ids.Require(hostId, "hostId", MaxHostIdLength);
        return grains.GetGrain<ISellerGrain>(hostId);
    }
}
