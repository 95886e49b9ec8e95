using Live.Contracts;
using Live.Contracts.Sellers;
using Live.Hub.Identity;
using Live.Hub.Api;

namespace Live.Hub.Sellers;

/// <summary>
/// Operators license sellers (host ids) for brands, which gives those sellers' products of the brand the verified
/// badge (RedLive's extension of the protocol). A host may read its own record.
/// </summary>
internal static class SellerEndpoints
{
    public static RouteGroupBuilder MapSellers(this RouteGroupBuilder api)
    {
        // Licensing is an operator's moderation of sellers: it shares the moderation writes' rate limit.
        var operators = api.MapGroup("").RequireAuthorization(LivePolicies.Operator).RequireRateLimiting(RestRateLimits.ModerationWrites);
        operators.MapPut("/sellers/{hostId}/brands/{brand}", (string hostId, string brand, IGrainFactory grains) =>
            Seller(grains, hostId).LicenseAsync(brand));

        operators.MapDelete("/sellers/{hostId}/brands/{brand}", (string hostId, string brand, IGrainFactory grains) =>
            Seller(grains, hostId).RevokeAsync(brand));

        api.MapGroup("").RequireAuthorization(LivePolicies.User).MapGet("/sellers/{hostId}", (string hostId, LiveUser user, IGrainFactory grains) =>
        {
            if (user.Role != Roles.Operator && user.UserId != hostId)
            {
                throw LiveException.Forbidden("only an operator or the seller may read a seller's licences");
            }

            return Seller(grains, hostId).GetAsync();
        });
        return api;
    }

    private static ISellerGrain Seller(IGrainFactory grains, string hostId)
    {
        Ids.Require(hostId, "hostId", Ids.MaxUserIdLength);
        return grains.GetGrainByKey<ISellerGrain>(hostId);
    }
}
