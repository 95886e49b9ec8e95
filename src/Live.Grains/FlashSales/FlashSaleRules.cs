using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Grains.Idempotency;

namespace Live.Grains.FlashSales;

/// <summary>
/// What a flash sale decides, apart from how it is stored and told: whether a new sale's terms are acceptable and
/// how a purchase request is answered. Nothing here awaits, so the grain decides and changes its state in one
/// synchronous turn, which is what lets interleaved purchases share a write.
/// </summary>
/// <remarks>
/// A purchase is answered in two steps because the grain ends an overdue sale between them, and ending awaits:
/// <see cref="Replay"/> (an earlier answer, or the request is checked) before, <see cref="Decide"/> after.
/// </remarks>
internal sealed class FlashSaleRules(FlashSaleOptions limits)
{
    /// <summary>Refuses terms a host may not open a sale with; nothing has been reserved yet.</summary>
    public void ValidateNew(NewFlashSale input)
    {
        Money.RequirePrice(input.Price);
        if (input.Quantity < 1 || input.Quantity > limits.MaxQuantity)
        {
            throw LiveException.Invalid($"quantity must be 1 to {limits.MaxQuantity}");
        }

        if (input.PerUserLimit < 1 || input.PerUserLimit > input.Quantity)
        {
            throw LiveException.Invalid("perUserLimit must be 1 to quantity");
        }

        if (input.DurationSeconds < limits.MinDurationSeconds || input.DurationSeconds > limits.MaxDurationSeconds)
        {
            throw LiveException.Invalid($"durationSeconds must be {limits.MinDurationSeconds} to {limits.MaxDurationSeconds}");
        }
    }

    /// <summary>The sale as it opens, its quantity already reserved from the product's stock.</summary>
    public static FlashSale Open(string saleId, string roomId, Product product, NewFlashSale input, DateTimeOffset now) => new()
    {
        Id = saleId,
        RoomId = roomId,
        Product = product,
        Price = input.Price,
        Quantity = input.Quantity,
        Remaining = input.Quantity,
        PerUserLimit = input.PerUserLimit,
        Status = SaleStatus.Active,
        EndsAt = now.AddSeconds(input.DurationSeconds),
    };

    /// <summary>Still active in the state but past its end time: the sale is ended before anything else is decided.</summary>
    public static bool IsOverdue(FlashSale? sale, DateTimeOffset now) =>
        sale is { Status: SaleStatus.Active } && now >= sale.EndsAt;

    /// <summary>The sale is over with units unsold that have not gone back to the product's stock yet.</summary>
    public static bool NeedsStockReturn(FlashSaleState state) =>
        state.Sale is { Status: not SaleStatus.Active, Remaining: > 0 } && !state.StockReturned;

    /// <summary>
    /// The answer already given to this user's <paramref name="requestId"/>, so a retry never buys twice; null when
    /// the request is new, after checking it (an invalid request id or quantity throws <c>invalid_argument</c>).
    /// </summary>
    /// <remarks>The earlier answer comes before the quantity check: a request id gets the same answer whatever it carries.</remarks>
    public static PurchaseResult? Replay(FlashSaleState state, string userId, int quantity, string requestId)
    {
        var sale = RequireSale(state);
        Ids.Require(requestId, "requestId", 100);
        if (state.Requests.TryGetValue(FlashSaleState.RequestKey(userId, requestId), out var earlier))
        {
            return earlier;
        }

        if (quantity < 1 || quantity > sale.Quantity)
        {
            throw LiveException.Invalid($"quantity must be 1 to {sale.Quantity}");
        }

        return null;
    }

    /// <summary>
    /// Drops the answers older than the idempotency <paramref name="window"/> once the sale is over; an active sale
    /// keeps every answer, since its requests can still be retried against it. A retry of a dropped request id is a
    /// new request, which an ended sale refuses (<c>notActive</c>), so nothing can be bought twice. The per-user
    /// tallies (units bought, refusals recorded) go at once: only an active sale's decisions read them (a sale that is
    /// over refuses every new request by its status, <see cref="Decide"/>), and the ledger, the audit log, keeps every
    /// decision they were counted from.
    /// </summary>
    /// <returns>
    /// How many were dropped (answers and per-user tallies), and when the next may fall due (null: nothing left to drop,
    /// or not yet over).
    /// </returns>
    public static (int Dropped, DateTimeOffset? NextDue) CompactRequests(FlashSaleState state, TimeSpan window, DateTimeOffset now)
    {
        if (state.Sale is not { } sale || sale.Status == SaleStatus.Active)
        {
            return (0, null);
        }

        var tallies = state.PerUser.Count + state.RefusedPerUser.Count;
        if (tallies > 0)
        {
            state.PerUser = [];
            state.RefusedPerUser = [];
        }

        var (answers, nextDue) = IdempotencyWindow.Compact(state.Requests, state.AnsweredAt, window, now);
        return (answers + tallies, nextDue);
    }

    /// <summary>
    /// Refuses (<c>forbidden</c>) a buyer banned from the sale's room. Asked after <see cref="Replay"/>: a request
    /// answered before the ban keeps its answer (the protocol promises one answer per request id), a new one is refused
    /// and changes nothing.
    /// </summary>
    public static void RequireNotBanned(FlashSaleState state, string userId)
    {
        if (state.BannedBuyers.Contains(userId))
        {
            throw LiveException.Forbidden($"you are banned from room {RequireSale(state).RoomId}");
        }
    }

    /// <summary>
    /// What makes the sale's banned buyers the room's <paramref name="roomBanned"/>, in a stable order (unbans, then
    /// bans, each by user id): for a start sent again, whose room may have banned or unbanned since without telling a
    /// sale it had not listed yet. Empty for an ended sale, which nobody buys from.
    /// </summary>
    public static (string UserId, bool Banned)[] BanChangesTo(FlashSaleState state, IEnumerable<string> roomBanned)
    {
        if (state.Sale is not { Status: SaleStatus.Active })
        {
            return [];
        }

        var wanted = roomBanned.ToHashSet(StringComparer.Ordinal);
        return
        [
            .. state.BannedBuyers.Except(wanted).Order(StringComparer.Ordinal).Select(u => (u, false)),
            .. wanted.Except(state.BannedBuyers).Order(StringComparer.Ordinal).Select(u => (u, true)),
        ];
    }

    /// <summary>Takes the room's ban or unban of <paramref name="userId"/>; whether the set changed.</summary>
    public static bool SetBanned(FlashSaleState state, string userId, bool banned) =>
        banned ? state.BannedBuyers.Add(userId) : state.BannedBuyers.Remove(userId);

    /// <summary>
    /// How many refusals of one user an active sale records. A refusal (the buyer's limit, too few units left) follows
    /// from counts that only move one way while the sale is active (a buyer's units only go up, the units left only go
    /// down), so the same request decided again is refused again: past this many, a user's refusals are answered
    /// without an entry, and one client sending new request ids all day (rate-limited, 5 a second) cannot grow the
    /// ledger, the answers kept and the sale's rebuild without end.
    /// </summary>
    public const int MaxRecordedRefusalsPerUser = 100;

    /// <summary>
    /// Answers a new, checked request (see <see cref="Replay"/>): a refusal, or a confirmation with its order. The
    /// state is not changed; <see cref="PurchaseDecision.ApplyTo"/> does that. Only a sale that is still active records
    /// its decisions (<see cref="PurchaseDecision.IsRecorded"/>): a confirmation, and a refusal for the buyer's limit or
    /// for too few units left, up to <see cref="MaxRecordedRefusalsPerUser"/> refusals per user. Once the sale has ended or sold out (both final) a new request's <c>notActive</c> or
    /// <c>soldOut</c> follows from that stored end by the same rule every time, so it is answered without an entry and
    /// the ledger of a sale that is over stops growing, however long buyers keep retrying.
    /// </summary>
    public static PurchaseDecision Decide(FlashSaleState state, Caller buyer, int quantity, string requestId, DateTimeOffset now)
    {
        var sale = RequireSale(state);
        var bought = state.PerUser.GetValueOrDefault(buyer.UserId);
        var refusal = sale.Status switch
        {
            SaleStatus.SoldOut => PurchaseStatus.SoldOut,
            not SaleStatus.Active => PurchaseStatus.NotActive,
            _ when bought + quantity > sale.PerUserLimit => PurchaseStatus.LimitExceeded,
            _ when sale.Remaining < quantity => PurchaseStatus.SoldOut,
            _ => null,
        };

        var entry = new SaleEntry
        {
            Kind = SaleEntryKind.Decided,
            At = now,
            RequestId = requestId,
            UserId = buyer.UserId,
            Quantity = quantity,
            Status = refusal ?? PurchaseStatus.Confirmed,
            Remaining = refusal is null ? sale.Remaining - quantity : sale.Remaining,
            OrderId = refusal is null ? Ids.New("ord") : null,
        };
        return new PurchaseDecision
        {
            RequestKey = FlashSaleState.RequestKey(buyer.UserId, requestId),
            Entry = entry,
            Result = SaleLedger.ResultOf(entry),
            IsRecorded = sale.Status == SaleStatus.Active
                && (refusal is null || state.RefusedPerUser.GetValueOrDefault(buyer.UserId) < MaxRecordedRefusalsPerUser),
            Order = refusal is null ? SaleLedger.OrderOf(sale, entry) : null,
        };
    }

    // The grain answers not_found for a missing sale before it asks anything here.
    private static FlashSale RequireSale(FlashSaleState state) =>
        state.Sale ?? throw new InvalidOperationException("the flash sale has not started");
}
