using Live.Contracts;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Hub.Identity;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Live.Hub.Sales;

/// <summary>
/// The hub's <c>BuyNow</c>: the flash-sale grain decides, and a buyer whose order is new hears of it at once, on
/// the call (room events come from the grains instead, see <see cref="HubRoomEventObserver"/>).
/// </summary>
public sealed class SaleHubHandler(
    IGrainFactory grains,
    ConnectionRegistry connections,
    UserRateLimiter limits,
    LiveHubMetrics metrics,
    IOptions<LiveHubOptions> options)
{
    public async Task<PurchaseResult> BuyNowAsync(
        HubCallerContext caller, IHubClients<ILiveClient> clients, string saleId, int quantity, string requestId)
    {
        var user = LiveUser.Require(caller.User);
        Ids.Require(saleId, "saleId");
        limits.Buy(user.UserId);
        var outcome = await grains.GetGrain<IFlashSaleGrain>(saleId).BuyNowAsync(user.ToCaller(), quantity, requestId);
        metrics.Purchase(outcome.Result.Status);
        if (outcome.NewOrder is { } order)
        {
            // The buyer hears at once, on every connection of theirs; the room only sees the coalesced counter.
            await ConfirmToBuyerAsync(clients, user.UserId, order);
        }

        return outcome.Result;
    }

    /// <remarks>
    /// With the backplane, <c>Clients.User</c> is one publish to the user's channel and reaches their connections on
    /// every hub server. Without one, this server holds all of them and its own index finds them: SignalR's
    /// in-memory <c>Clients.User</c> (and <c>Clients.Clients(ids)</c>) test every connection of the server, per
    /// purchase, while <c>Clients.Client(id)</c> is one lookup (docs/PERF.md §8).
    /// </remarks>
    private Task ConfirmToBuyerAsync(IHubClients<ILiveClient> clients, string userId, Order order)
    {
        if (options.Value.Backplane != Backplanes.None)
        {
            return clients.User(userId).PurchaseConfirmed(order);
        }

        return Task.WhenAll(connections.ConnectionsOf(userId).Select(id => clients.Client(id).PurchaseConfirmed(order)));
    }
}
