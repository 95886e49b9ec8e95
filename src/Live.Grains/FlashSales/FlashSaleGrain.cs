using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Live.Grains.Idempotency;
using Live.Grains.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Live.Grains.FlashSales;

/// <summary>
/// The Orleans side of a flash sale: its stored state, timer, calls to the product, order books and room, and events.
/// The decisions are <see cref="FlashSaleRules"/>'; writes go through a <see cref="GroupCommit"/>.
/// </summary>
internal sealed partial class FlashSaleGrain(
    [PersistentState(StateNames.FlashSale, StorageNames.Live)] IPersistentState<FlashSaleState> state,
    IRoomEventSink events,
    TimeProvider time,
    IOptions<FlashSaleOptions> options,
    IOptions<IdempotencyOptions> idempotency,
    ILogger<FlashSaleGrain> logger) : Grain, IFlashSaleGrain, IIncomingGrainCallFilter
{
    private readonly FlashSaleRules _rules = new(options.Value);
    private readonly SaleProgress _progress = new(options.Value.RecentBuyers);
    private readonly OrderOutbox _outbox = new(() => state.State.Outbox);
    private GroupCommit? _commit;

    // The confirmations decided but not yet durable, by request key, with the write that stores them: a replay of one
    // is answered only once that write has succeeded (BuyNow interleaves, so a replay can arrive mid-write).
    private readonly Dictionary<string, Task> _undurable = new(StringComparer.Ordinal);
    private bool _stateDirty;
    private IGrainTimer? _timer;

    // When the oldest kept answer of an ended sale leaves the idempotency window: compaction does nothing before.
    private DateTimeOffset _nextCompaction = DateTimeOffset.MinValue;

    private string SaleId => this.GetPrimaryKeyString();

    private GroupCommit Commit => _commit ??= new GroupCommit(WriteStateAsync, _ => this.DeactivateOnIdle());

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Answers stored before answer times were kept count from now: none is dropped before a whole window. The
        // times are stored with the next write, not by a write of their own.
        IdempotencyWindow.Backfill(state.State.Requests, state.State.AnsweredAt, time.GetUtcNow());
        CompactRequests();
        if (state.State.Sale is { Status: SaleStatus.Active } || _outbox.HasPending || FlashSaleRules.NeedsStockReturn(state.State) || _stateDirty)
        {
            EnsureTimer();
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        await Commit.WhenIdleAsync();
        if (_stateDirty && !Commit.IsBroken)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    /// <summary>An id that holds no sale (unknown, or a start that was refused) answers and leaves no activation.</summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        return UnknownIds.InvokeAsync(context, () => state.State.Sale is null, DeactivateOnIdle);
    }

    async Task<FlashSale> IFlashSaleGrain.StartAsync(
        string hostId, string roomId, Product product, NewFlashSale input, IReadOnlyCollection<string> bannedBuyers)
    {
        if (state.State.Sale is not null)
        {
            throw LiveException.Conflict($"flash sale {SaleId} already exists");
        }

        _rules.ValidateNew(input);

        // The sale's units come out of the product's regular stock: no stock is sold that the brand does not have.
        // Only the product's owner may sell it: the product refuses anyone else's reservation.
        if (!await GrainFactory.GetGrain<IProductGrain>(product.Id).TryReserveForSaleAsync(hostId, SaleId, input.Quantity))
        {
            throw LiveException.Conflict($"product {product.Id} has fewer than {input.Quantity} units in stock");
        }

        state.State.HostId = hostId;
        state.State.BannedBuyers = bannedBuyers.ToHashSet(StringComparer.Ordinal);
        state.State.Sale = FlashSaleRules.Open(SaleId, roomId, product, input, time.GetUtcNow());
        await WriteAsync();
        EnsureTimer();
        return state.State.Sale;
    }

    Task<FlashSale> IFlashSaleGrain.GetAsync()
    {
        var sale = Current;
        return Task.FromResult(FlashSaleRules.IsOverdue(sale, time.GetUtcNow()) ? sale with { Status = SaleStatus.Ended } : sale);
    }

    async Task<PurchaseOutcome> IFlashSaleGrain.BuyNowAsync(Caller buyer, int quantity, string requestId)
    {
        if (Commit.IsBroken)
        {
            // A write failed: the memory is ahead of storage until this activation is replaced. Nothing is answered
            // from it; the client retries the same request id against the reloaded state.
            throw Reloading();
        }

        _ = Current;
        CompactRequests();
        if (FlashSaleRules.Replay(state.State, buyer.UserId, quantity, requestId) is { } earlier)
        {
            if (_undurable.TryGetValue(FlashSaleState.RequestKey(buyer.UserId, requestId), out var stored))
            {
                // Fails as the original does if its write fails: nothing is confirmed that storage does not have.
                await stored;
            }

            return new PurchaseOutcome { Result = earlier };
        }

        FlashSaleRules.RequireNotBanned(state.State, buyer.UserId);
        await EndIfDueAsync();
        var decision = FlashSaleRules.Decide(state.State, buyer, quantity, requestId, time.GetUtcNow());
        decision.ApplyTo(state.State);
        if (!decision.IsConfirmed)
        {
            // A refusal is written behind (next tick or deactivation), not before answering: a refused request can
            // never buy later (remaining never grows, a user's count never shrinks, an ended sale never reopens), but
            // its status can change (limitExceeded or soldOut while active, notActive once ended), and the protocol
            // promises the same answer to the same request id. Only a crash inside the write-behind window loses it.
            _stateDirty = true;
            LiveGrainMetrics.Purchase(decision.Result.Status, 0);
            return new PurchaseOutcome { Result = decision.Result };
        }

        // Durable before it is answered: inventory, the user's count, the request id and the order in one write.
        var write = WriteAsync();
        _undurable[decision.RequestKey] = write;
        try
        {
            await write;
        }
        finally
        {
            _undurable.Remove(decision.RequestKey);
        }

        LiveGrainMetrics.Purchase(PurchaseStatus.Confirmed, quantity);
        _progress.Sold(buyer.DisplayName);
        await DeliverAsync(decision.Order);
        if (decision.Result.Remaining == 0)
        {
            await AnnounceEndAsync();
        }

        return new PurchaseOutcome { Result = decision.Result, NewOrder = decision.Order };
    }

    /// <remarks>
    /// Written before it answers, so the room's ban holds here once the room's call returns, and after a restart.
    /// </remarks>
    async Task IFlashSaleGrain.SetBuyerBannedAsync(string userId, bool banned)
    {
        _ = Current;
        if (FlashSaleRules.SetBanned(state.State, userId, banned))
        {
            await WriteAsync();
        }
    }

    async Task<FlashSale> IFlashSaleGrain.EndAsync(string hostId)
    {
        if (Current is var sale && state.State.HostId != hostId)
        {
            throw LiveException.Forbidden($"only the host of room {sale.RoomId} may end this sale");
        }

        await EndAsync(SaleStatus.Ended);
        return Current;
    }

    async Task<FlashSale> IFlashSaleGrain.EndForRoomAsync()
    {
        _ = Current;
        await EndAsync(SaleStatus.Ended);
        return Current;
    }

    private FlashSale Current => state.State.Sale ?? throw LiveException.NotFound($"flash sale {SaleId} not found");

    private async Task EndIfDueAsync()
    {
        if (FlashSaleRules.IsOverdue(state.State.Sale, time.GetUtcNow()))
        {
            await EndAsync(SaleStatus.Ended);
        }
    }

    private async Task EndAsync(string status)
    {
        var sale = Current;
        if (sale.Status != SaleStatus.Active)
        {
            return;
        }

        state.State.Sale = sale with { Status = status };
        await WriteAsync();
        await AnnounceEndAsync();
    }

    /// <summary>Tells the room the sale is over, then gives unsold units back to the product's stock.</summary>
    private async Task AnnounceEndAsync()
    {
        var sale = Current;
        PublishProgress();
        events.Publish(new FlashSaleEndedEvent { RoomId = sale.RoomId, Sale = sale });
        await GrainFactory.GetGrain<ILiveRoomGrain>(sale.RoomId).SaleChangedAsync(sale);
        LogSaleEnded(logger, SaleId, sale.Status, sale.Quantity - sale.Remaining, sale.Quantity);
        await ReturnStockAsync();
    }

    /// <summary>
    /// Drops an ended sale's answers older than the idempotency window (<see cref="FlashSaleRules.CompactRequests"/>).
    /// What it drops is written behind, like a refusal: the timer's next tick writes it (started here if the sale is
    /// otherwise idle), and a crash before that only means the next activation drops them again.
    /// </summary>
    private void CompactRequests()
    {
        var now = time.GetUtcNow();
        if (now < _nextCompaction)
        {
            return;
        }

        var (dropped, nextDue) = FlashSaleRules.CompactRequests(state.State, idempotency.Value.Window, now);
        // An answer given from now on falls due a window from now at the earliest.
        _nextCompaction = state.State.Sale is { Status: SaleStatus.Active } ? DateTimeOffset.MinValue : nextDue ?? now + idempotency.Value.Window;
        if (dropped > 0)
        {
            _stateDirty = true;
            EnsureTimer();
        }
    }

    private async Task ReturnStockAsync()
    {
        if (!FlashSaleRules.NeedsStockReturn(state.State))
        {
            return;
        }

        var sale = Current;
        await GrainFactory.GetGrain<IProductGrain>(sale.Product.Id).ReleaseAsync(SaleId, sale.Remaining);
        state.State.StockReturned = true;
        await WriteAsync();
    }

    private void PublishProgress()
    {
        var sale = Current;
        if (_progress.TakeUpdate(sale) is { } progress)
        {
            events.Publish(new FlashSaleUpdatedEvent { RoomId = sale.RoomId, Progress = progress });
        }
    }

    /// <summary>Idempotent by order id, so a crash or a race only means a redelivery.</summary>
    private async Task<bool> DeliverAsync(Order order)
    {
        try
        {
            await GrainFactory.GetGrain<IOrderBookGrain>(order.UserId).AddAsync(order);
            if (_outbox.Acknowledge(order))
            {
                _stateDirty = true;
            }

            return true;
        }
        catch (Exception ex)
        {
            LogDeliveryFailed(logger, ex, order.Id, order.UserId);
            EnsureTimer();
            return false;
        }
    }

    /// <summary>Completes once the caller's change is durable (see <see cref="GroupCommit"/>).</summary>
    private Task WriteAsync() => Commit.IsBroken ? Task.FromException(Reloading()) : Commit.CommitAsync();

    private Task WriteStateAsync()
    {
        // A write stores the state as it is when the write starts: the write-behind changes (refusals, delivered
        // orders) made so far are in it, and one made while it is in flight marks the state dirty again for the next.
        // (A failed write breaks the commit, and a broken activation writes nothing more.)
        _stateDirty = false;
        return state.WriteStateAsync();
    }

    private InvalidOperationException Reloading() => new($"flash sale {SaleId} is reloading its state; retry");

    private void EnsureTimer()
    {
        _timer ??= this.RegisterGrainTimer(OnTickAsync, new GrainTimerCreationOptions
        {
            DueTime = options.Value.ProgressInterval,
            Period = options.Value.ProgressInterval,
            KeepAlive = true,
        });
    }

    private async Task OnTickAsync(CancellationToken cancellationToken)
    {
        await EndIfDueAsync();
        if (state.State.Sale is { Status: SaleStatus.Active } sale && _progress.IsDirty)
        {
            PublishProgress();
            await GrainFactory.GetGrain<ILiveRoomGrain>(sale.RoomId).SaleChangedAsync(Current);
        }

        await _outbox.DeliverAsync(DeliverAsync);
        await ReturnStockAsync();
        CompactRequests();
        if (_stateDirty)
        {
            await WriteAsync();
        }

        if (state.State.Sale is not { Status: SaleStatus.Active } && !_outbox.HasPending && !FlashSaleRules.NeedsStockReturn(state.State))
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Flash sale {SaleId} {Status}: {Sold} of {Quantity} sold")]
    private static partial void LogSaleEnded(ILogger logger, string saleId, string status, int sold, int quantity);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Order {OrderId} for {UserId} not yet delivered; retrying")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string orderId, string userId);
}
