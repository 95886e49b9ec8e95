using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Live.Grains.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Live.Grains.FlashSales;

internal sealed partial class FlashSaleGrain(
    [PersistentState(StateNames.FlashSale, StorageNames.Live)] IPersistentState<FlashSaleState> state,
    IRoomEventSink events,
    TimeProvider time,
    IOptions<FlashSaleOptions> options,
    ILogger<FlashSaleGrain> logger) : Grain, IFlashSaleGrain
{
    private readonly LinkedList<string> _recentBuyers = new();
    private TaskCompletionSource? _nextCommit;
    private Task? _pump;
    private bool _broken;
    private bool _delivering;
    private bool _progressDirty;
    private bool _stateDirty;
    private IGrainTimer? _timer;

    private string SaleId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Sale is { Status: SaleStatus.Active } || state.State.Outbox.Count > 0 || NeedsStockReturn)
        {
            EnsureTimer();
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_pump is { } pump)
        {
            await pump;
        }

        if (_stateDirty && !_broken)
        {
            await state.WriteStateAsync(cancellationToken);
        }
    }

    async Task<FlashSale> IFlashSaleGrain.StartAsync(string hostId, string roomId, Product product, NewFlashSale input)
    {
        if (state.State.Sale is not null)
        {
            throw LiveException.Conflict($"flash sale {SaleId} already exists");
        }

        var limits = options.Value;
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

        // The sale's units come out of the product's regular stock: no stock is sold that the brand does not have.
        if (!await GrainFactory.GetGrain<IProductGrain>(product.Id).TryReserveAsync(SaleId, input.Quantity))
        {
            throw LiveException.Conflict($"product {product.Id} has fewer than {input.Quantity} units in stock");
        }

        state.State.HostId = hostId;
        state.State.Sale = new FlashSale
        {
            Id = SaleId,
            RoomId = roomId,
            Product = product,
            Price = input.Price,
            Quantity = input.Quantity,
            Remaining = input.Quantity,
            PerUserLimit = input.PerUserLimit,
            Status = SaleStatus.Active,
            EndsAt = time.GetUtcNow().AddSeconds(input.DurationSeconds),
        };
        await WriteAsync();
        EnsureTimer();
        return state.State.Sale;
    }

    Task<FlashSale> IFlashSaleGrain.GetAsync()
    {
        var sale = Current;
        return Task.FromResult(sale.Status == SaleStatus.Active && time.GetUtcNow() >= sale.EndsAt
            ? sale with { Status = SaleStatus.Ended }
            : sale);
    }

    async Task<PurchaseOutcome> IFlashSaleGrain.BuyNowAsync(Caller buyer, int quantity, string requestId)
    {
        if (_broken)
        {
            // A write failed: the memory is ahead of storage until this activation is replaced. Nothing is answered
            // from it; the client retries the same request id against the reloaded state.
            throw new InvalidOperationException($"flash sale {SaleId} is reloading its state; retry");
        }

        var sale = Current;
        Ids.Require(requestId, "requestId", 100);
        var key = FlashSaleState.RequestKey(buyer.UserId, requestId);
        if (state.State.Requests.TryGetValue(key, out var earlier))
        {
            return new PurchaseOutcome { Result = earlier };
        }

        if (quantity < 1 || quantity > sale.Quantity)
        {
            throw LiveException.Invalid($"quantity must be 1 to {sale.Quantity}");
        }

        await EndIfDueAsync();
        sale = Current;
        var bought = state.State.PerUser.GetValueOrDefault(buyer.UserId);
        var refusal = sale.Status switch
        {
            SaleStatus.SoldOut => PurchaseStatus.SoldOut,
            not SaleStatus.Active => PurchaseStatus.NotActive,
            _ when bought + quantity > sale.PerUserLimit => PurchaseStatus.LimitExceeded,
            _ when sale.Remaining < quantity => PurchaseStatus.SoldOut,
            _ => null,
        };

        if (refusal is not null)
        {
            // A refusal is written behind (next tick or deactivation), not before answering: a refused request can
            // never buy later (remaining never grows, a user's count never shrinks, an ended sale never reopens), but
            // its status can change (limitExceeded or soldOut while active, notActive once ended), and the protocol
            // promises the same answer to the same request id. Only a crash inside the write-behind window loses it.
            var refused = new PurchaseResult { Status = refusal, Quantity = 0, Remaining = sale.Remaining };
            state.State.Requests[key] = refused;
            _stateDirty = true;
            LiveGrainMetrics.Purchase(refusal, 0);
            return new PurchaseOutcome { Result = refused };
        }

        var order = new Order
        {
            Id = Ids.New("ord"),
            UserId = buyer.UserId,
            Items = new[] { new OrderItem { ProductId = sale.Product.Id, Quantity = quantity, Price = sale.Price } },
            Total = sale.Price * quantity,
            Currency = sale.Product.Currency,
            Status = OrderStatus.Confirmed,
            SaleId = SaleId,
            CreatedAt = time.GetUtcNow(),
        };
        var remaining = sale.Remaining - quantity;
        var result = new PurchaseResult
        {
            Status = PurchaseStatus.Confirmed,
            OrderId = order.Id,
            Quantity = quantity,
            Remaining = remaining,
        };

        state.State.Sale = sale with
        {
            Remaining = remaining,
            Status = remaining == 0 ? SaleStatus.SoldOut : SaleStatus.Active,
        };
        state.State.PerUser[buyer.UserId] = bought + quantity;
        state.State.Requests[key] = result;
        state.State.Outbox.Add(order);
        state.State.Confirmed++;

        // Durable before it is answered: inventory, the user's count, the request id and the order in one write.
        await WriteAsync();
        LiveGrainMetrics.Purchase(PurchaseStatus.Confirmed, quantity);

        _recentBuyers.AddFirst(buyer.DisplayName);
        while (_recentBuyers.Count > options.Value.RecentBuyers)
        {
            _recentBuyers.RemoveLast();
        }

        _progressDirty = true;
        await DeliverAsync(order);
        if (remaining == 0)
        {
            await AnnounceEndAsync();
        }

        return new PurchaseOutcome { Result = result, NewOrder = order };
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

    private bool NeedsStockReturn =>
        state.State.Sale is { Status: not SaleStatus.Active, Remaining: > 0 } && !state.State.StockReturned;

    private async Task EndIfDueAsync()
    {
        if (state.State.Sale is { Status: SaleStatus.Active } sale && time.GetUtcNow() >= sale.EndsAt)
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

    private async Task ReturnStockAsync()
    {
        if (!NeedsStockReturn)
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
        if (!_progressDirty)
        {
            return;
        }

        _progressDirty = false;
        var sale = Current;
        events.Publish(new FlashSaleUpdatedEvent
        {
            RoomId = sale.RoomId,
            Progress = new FlashSaleProgress
            {
                SaleId = SaleId,
                Remaining = sale.Remaining,
                Sold = sale.Quantity - sale.Remaining,
                RecentBuyers = _recentBuyers.ToArray(),
            },
        });
    }

    /// <summary>Hands confirmed orders to the buyers' order books, oldest first; one delivery loop at a time.</summary>
    private async Task DeliverOutboxAsync()
    {
        if (_delivering)
        {
            return;
        }

        _delivering = true;
        try
        {
            foreach (var order in state.State.Outbox.ToArray())
            {
                if (!await DeliverAsync(order))
                {
                    return;
                }
            }
        }
        finally
        {
            _delivering = false;
        }
    }

    /// <summary>Idempotent by order id, so a crash or a race only means a redelivery.</summary>
    private async Task<bool> DeliverAsync(Order order)
    {
        try
        {
            await GrainFactory.GetGrain<IOrderBookGrain>(order.UserId).AddAsync(order);
            if (state.State.Outbox.Remove(order))
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

    /// <summary>
    /// Group commit: completes after a storage write that started after this call, so the caller's change is
    /// durable. Callers that arrive while a write is in flight share the next write; one write runs at a time.
    /// </summary>
    private Task WriteAsync()
    {
        if (_broken)
        {
            return Task.FromException(new InvalidOperationException($"flash sale {SaleId} is reloading its state; retry"));
        }

        _nextCommit ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var commit = _nextCommit.Task;
        if (_pump is null || _pump.IsCompleted)
        {
            _pump = PumpAsync();
        }

        return commit;
    }

    private async Task PumpAsync()
    {
        while (_nextCommit is { } batch)
        {
            _nextCommit = null;
            try
            {
                await state.WriteStateAsync();
                if (_nextCommit is null)
                {
                    _stateDirty = false;
                }

                batch.SetResult();
            }
            catch (Exception ex)
            {
                // The memory is ahead of storage: answer nobody from it, and reload on the next activation.
                _broken = true;
                this.DeactivateOnIdle();
                batch.SetException(ex);
                _nextCommit?.SetException(ex);
                _nextCommit = null;
            }
        }

        _pump = null;
    }

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
        if (state.State.Sale is { Status: SaleStatus.Active } sale)
        {
            if (_progressDirty)
            {
                PublishProgress();
                await GrainFactory.GetGrain<ILiveRoomGrain>(sale.RoomId).SaleChangedAsync(Current);
            }
        }

        await DeliverOutboxAsync();
        await ReturnStockAsync();
        if (_stateDirty)
        {
            await WriteAsync();
        }

        if (state.State.Sale is not { Status: SaleStatus.Active } && state.State.Outbox.Count == 0 && !NeedsStockReturn)
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
