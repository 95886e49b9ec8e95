using Live.Contracts;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Hub.Delivery;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Sales;

/// <summary>
/// The hub's <c>BuyNow</c> and <c>BuyNowWithOrder</c>: the flash-sale grain decides, and a buyer whose order is new
/// hears of it at once, on the call (room events come from the grains instead, see <see cref="HubRoomEventObserver"/>).
/// </summary>
public sealed class SaleHubHandler(
    PurchaseBatcher purchases,
    IGrainFactory grains,
    UserRateLimiter limits,
    LocalDelivery delivery,
    LiveHubMetrics metrics,
    ILogger<SaleHubHandler> logger)
{
    /// <param name="caller">The calling connection.</param>
    /// <param name="clients">The hub's clients.</param>
    /// <param name="saleId">The sale.</param>
    /// <param name="quantity">Units asked for.</param>
    /// <param name="requestId">The purchase's idempotency key.</param>
    /// <param name="answerWithOrder">
    /// <c>BuyNowWithOrder</c>: a new order goes back in the answer, and its <c>PurchaseConfirmed</c> reaches the buyer's
    /// other connections only (one frame less per purchase on this one).
    /// </param>
    public async Task<PurchaseResult> BuyNowAsync(
        HubCallerContext caller, IHubClients<ILiveClient> clients, string saleId, int quantity, string requestId, bool answerWithOrder = false)
    {
        var user = HubCaller.Require(caller);
        Ids.Require(saleId, "saleId");
        limits.Buy(user.UserId);
        var outcome = await purchases.BuyNowAsync(saleId, user.ToCaller(), quantity, requestId);
        metrics.Purchase(outcome.Result.Status);
        if (outcome.NewOrder is not { } order)
        {
            return answerWithOrder && outcome.Result is { Status: PurchaseStatus.Confirmed, OrderId: { } orderId }
                ? await ReplayedWithOrderAsync(user.UserId, outcome.Result, orderId)
                : outcome.Result;
        }

        if (answerWithOrder)
        {
            delivery.AnsweredOrder(caller.ConnectionId, order.Id);
        }

        // The buyer hears at once, on every connection of theirs; the room only sees the coalesced counter. The order is
        // stored already: a send that fails (the backplane out of reach) must not turn a confirmed purchase into an
        // error. The buyer's order book has it, and this answer carries the status (and the order, on BuyNowWithOrder).
        try
        {
            await ConfirmToBuyerAsync(clients, user.UserId, order);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            metrics.PurchaseConfirmationFailed();
            logger.LogWarning(e, "PurchaseConfirmed of order {OrderId} could not be sent to user {UserId}; the purchase is answered", order.Id, user.UserId);
        }

        return answerWithOrder ? outcome.Result with { Order = order } : outcome.Result;
    }

    /// <summary>
    /// A <c>BuyNowWithOrder</c> sent again with a confirmed request id: the client resends when the first answer was lost
    /// (its connection dropped), and that answer was its only notice of the order (its connection was skipped by the
    /// order's <c>PurchaseConfirmed</c>), so the replay carries the order too, read from the buyer's book (which holds
    /// every confirmed order when it is answered). A client may so hear of an order twice, by its id, never not at all.
    /// </summary>
    private async Task<PurchaseResult> ReplayedWithOrderAsync(string userId, PurchaseResult replay, string orderId) =>
        await grains.GetGrainByKey<IOrderBookGrain>(userId).FindAsync(orderId) is { } order ? replay with { Order = order } : replay;

    /// <remarks>
    /// <c>Clients.User</c> goes through the outboxes (<c>Delivery.OutboxHubLifetimeManager</c>), in the must-deliver
    /// lane: one lookup of the user's connections on this server (not SignalR's in-memory scan of every connection,
    /// docs/PERF.md §8), and with the backplane one publish on RedLive's user channel, which reaches them on every hub
    /// server. A connection whose answer carries the order (<see cref="LocalDelivery.AnsweredOrder"/>) is skipped there.
    /// </remarks>
    private static Task ConfirmToBuyerAsync(IHubClients<ILiveClient> clients, string userId, Order order) =>
        clients.User(userId).PurchaseConfirmed(order);
}
