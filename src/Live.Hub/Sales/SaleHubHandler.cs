using Live.Contracts;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Sales;

/// <summary>
/// The hub's <c>BuyNow</c>: the flash-sale grain decides, and a buyer whose order is new hears of it at once, on
/// the call (room events come from the grains instead, see <see cref="HubRoomEventObserver"/>).
/// </summary>
public sealed class SaleHubHandler(
    PurchaseBatcher purchases,
    UserRateLimiter limits,
    LiveHubMetrics metrics)
{
    public async Task<PurchaseResult> BuyNowAsync(
        HubCallerContext caller, IHubClients<ILiveClient> clients, string saleId, int quantity, string requestId)
    {
        var user = HubCaller.Require(caller);
        Ids.Require(saleId, "saleId");
        limits.Buy(user.UserId);
        var outcome = await purchases.BuyNowAsync(saleId, user.ToCaller(), quantity, requestId);
        metrics.Purchase(outcome.Result.Status);
        if (outcome.NewOrder is { } order)
        {
            // The buyer hears at once, on every connection of theirs; the room only sees the coalesced counter.
            await ConfirmToBuyerAsync(clients, user.UserId, order);
        }

        return outcome.Result;
    }

    /// <remarks>
    /// <c>Clients.User</c> goes through the outboxes (<c>Delivery.OutboxHubLifetimeManager</c>), in the must-deliver
    /// lane: one lookup of the user's connections on this server (not SignalR's in-memory scan of every connection,
    /// docs/PERF.md §8), and with the backplane one publish on RedLive's user channel, which reaches them on every hub
    /// server.
    /// </remarks>
    private static Task ConfirmToBuyerAsync(IHubClients<ILiveClient> clients, string userId, Order order) =>
        clients.User(userId).PurchaseConfirmed(order);
}
