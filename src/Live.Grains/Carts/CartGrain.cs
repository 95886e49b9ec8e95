using Live.Contracts;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Live.Grains.Idempotency;
using Microsoft.Extensions.Options;

namespace Live.Grains.Carts;

internal sealed class CartGrain(
    [PersistentState(StateNames.Cart, StorageNames.Live)] IPersistentState<CartState> state,
    TimeProvider time,
    IOptions<IdempotencyOptions> idempotency) : Grain, ICartGrain, IIncomingGrainCallFilter, IRemindable
{
    /// <summary>How often a checkout left pending by a failure is tried again while the cart is active.</summary>
    internal static readonly TimeSpan ResumeRetry = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The reminder that wakes a cart whose checkout was left pending with no activation to finish it (its silo died,
    /// or its own write failed): registered before a checkout's first write, unregistered by a tick that finds nothing
    /// pending.
    /// </summary>
    public const string ResumeReminder = "resume-checkout";

    /// <summary>The reminder's period: Orleans' shortest.</summary>
    internal static readonly TimeSpan ResumeReminderPeriod = TimeSpan.FromMinutes(1);

    // Whether this activation registered the reminder (one registration serves its checkouts until a tick removes it).
    private bool _reminding;

    private StateWriter? _writer;

    private IGrainTimer? _resumeTimer;

    // Every write goes through it: after a failed write this activation answers nothing and is replaced. Checkout keys
    // past the idempotency window are dropped as a write starts, so compaction costs no write of its own.
    private StateWriter Writer => _writer ??= new StateWriter(WriteStateAsync, DeactivateOnIdle, $"cart {UserId}");

    /// <summary>After a failed write this activation answers nothing: the next call reloads from storage.</summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        Writer.ThrowIfBroken();
        return context.Invoke();
    }

    private string UserId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Keys stored before their times were kept count from now: none is dropped before a whole window.
        IdempotencyWindow.Backfill(state.State.Checkouts, state.State.CheckedOutAt, time.GetUtcNow());
        return ResumePendingAsync();
    }

    private Task WriteStateAsync(CancellationToken cancellationToken)
    {
        CartRules.CompactCheckouts(state.State, idempotency.Value.Window, time.GetUtcNow());
        return state.WriteStateAsync(cancellationToken);
    }

    Task<Cart> ICartGrain.GetAsync() => Task.FromResult(ToCart());

    async Task<Cart> ICartGrain.AddItemAsync(string productId, int quantity, string? roomId, string addId)
    {
        CartRules.CheckAdd(productId, quantity, roomId, addId);
        if (CartRules.IsRepeatedAdd(state.State, addId))
        {
            // The hub sent this call again (its first attempt's answer was lost with a silo): the units went in once,
            // in the same write as this id.
            return ToCart();
        }

        if (roomId is not null)
        {
            // A room's ban covers what is bought from it. Unlike a flash sale (whose room hands it the banned set, see
            // LiveRoomGrain), a cart may take items from any room, so it asks that room: one read-only call, on adds
            // that name a room only, never on the flash-sale rush.
            await GrainFactory.GetGrainByKey<ILiveRoomGrain>(roomId).RequireMayBuyAsync(UserId);
        }

        var product = await GrainFactory.GetGrainByKey<IProductGrain>(productId).GetAsync();
        CartRules.Add(state.State.Items, product, quantity, roomId);
        CartRules.RememberAdd(state.State, addId, time.GetUtcNow(), idempotency.Value.Window);
        await Writer.WriteAsync();
        return ToCart();
    }

    async Task<Cart> ICartGrain.RemoveItemAsync(string productId)
    {
        Ids.Require(productId, "productId");
        if (state.State.Items.RemoveAll(i => i.ProductId == productId) > 0)
        {
            await Writer.WriteAsync();
        }

        return ToCart();
    }

    async Task<CheckoutOutcome> ICartGrain.CheckoutAsync(string idempotencyKey)
    {
        Ids.Require(idempotencyKey, "idempotencyKey", 100);
        await ResumePendingAsync();
        var orders = GrainFactory.GetGrainByKey<IOrderBookGrain>(UserId);
        if (state.State.Checkouts.TryGetValue(idempotencyKey, out var earlierId))
        {
            var earlier = await orders.FindAsync(earlierId)
                ?? throw new InvalidOperationException($"order {earlierId} of checkout {idempotencyKey} is missing");
            return new CheckoutOutcome { Order = earlier, IsNew = false };
        }

        var items = state.State.Items.ToArray();
        if (items.Length == 0)
        {
            throw LiveException.Conflict("the cart is empty");
        }

        // Before anything is reserved: whatever stops this checkout from here on (this silo's death included), the
        // reminder brings the cart back to finish or undo it.
        await RemindToResumeAsync();
        var pending = new PendingCheckout { IdempotencyKey = idempotencyKey, OrderId = Ids.New("ord"), Items = items };
        state.State.Pending = pending;
        await Writer.WriteAsync();
        try
        {
            return await CheckOutAsync(pending, orders);
        }
        catch when (state.State.Pending == pending && !Writer.IsBroken)
        {
            // A product or the order book failed midway (storage, a dying silo): the checkout is finished (its order
            // landed) or undone (its units given back) now, or by the retry timer, not left holding stock until the
            // buyer's next checkout. The caller is answered the failure and retries with the same key. (A cart whose own
            // write failed, or whose activation is lost, is woken by its reminder.)
            await TryResumeAsync();
            throw;
        }
    }

    private async Task<CheckoutOutcome> CheckOutAsync(PendingCheckout pending, IOrderBookGrain orders)
    {
        var items = pending.Items;
        foreach (var item in items)
        {
            bool reserved;
            try
            {
                reserved = await GrainFactory.GetGrainByKey<IProductGrain>(item.ProductId).TryReserveAsync(pending.OrderId, item.Quantity);
            }
            catch (LiveException)
            {
                reserved = false;
            }

            if (!reserved)
            {
                await UndoAsync(pending);
                throw LiveException.Conflict($"product {item.ProductId} does not have {item.Quantity} units in stock");
            }
        }

        var order = new Order
        {
            Id = pending.OrderId,
            UserId = UserId,
            Items = items.Select(i => new OrderItem { ProductId = i.ProductId, Quantity = i.Quantity, Price = i.Price }).ToArray(),
            Total = items.Sum(i => i.Price * i.Quantity),
            Status = OrderStatus.Confirmed,
            CreatedAt = time.GetUtcNow(),
        };
        await orders.AddAsync(order);
        await CompleteAsync(pending);
        return new CheckoutOutcome { Order = order, IsNew = true };
    }

    /// <summary>
    /// <see cref="ResumePendingAsync"/>, or when that fails too, again every <see cref="ResumeRetry"/> while the cart is
    /// active (a timer that keeps it active until then); a cart whose own write failed resumes on its next activation.
    /// </summary>
    private async Task TryResumeAsync()
    {
        try
        {
            await ResumePendingAsync();
            _resumeTimer?.Dispose();
            _resumeTimer = null;
        }
        catch (Exception e) when (e is not LiveException && !Writer.IsBroken)
        {
            _resumeTimer ??= this.RegisterGrainTimer(
                _ => TryResumeAsync(),
                new GrainTimerCreationOptions { DueTime = ResumeRetry, Period = ResumeRetry, KeepAlive = true });
        }
    }

    private async Task RemindToResumeAsync()
    {
        if (!_reminding)
        {
            await this.RegisterOrUpdateReminder(ResumeReminder, ResumeReminderPeriod, ResumeReminderPeriod);
            _reminding = true;
        }
    }

    /// <summary>
    /// The <see cref="ResumeReminder"/>: the activation it woke has already tried the pending checkout (see
    /// <see cref="OnActivateAsync"/>); a live one tries it now. With nothing pending any more the reminder goes; otherwise
    /// it fires again in a minute.
    /// </summary>
    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ResumeReminder)
        {
            return;
        }

        await TryResumeAsync();
        if (state.State.Pending is null && !Writer.IsBroken)
        {
            // Cleared first: should the removal fail after all (or after taking the row), the next checkout registers again.
            _reminding = false;
            if (await this.GetReminder(ResumeReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
    }

    /// <summary>Finishes a checkout interrupted by a crash if its order was recorded, and undoes it otherwise.</summary>
    private async Task ResumePendingAsync()
    {
        if (state.State.Pending is not { } pending)
        {
            return;
        }

        var order = await GrainFactory.GetGrainByKey<IOrderBookGrain>(UserId).FindAsync(pending.OrderId);
        if (order is not null)
        {
            await CompleteAsync(pending);
        }
        else
        {
            await UndoAsync(pending);
        }
    }

    private async Task CompleteAsync(PendingCheckout pending)
    {
        CartRules.TakeCheckedOut(state.State.Items, pending.Items);
        state.State.Checkouts[pending.IdempotencyKey] = pending.OrderId;
        state.State.CheckedOutAt[pending.IdempotencyKey] = time.GetUtcNow();
        state.State.Pending = null;
        await Writer.WriteAsync();

        // Stored: this checkout will not reserve again nor release, so the products need not keep its reservations.
        foreach (var productId in pending.Items.Select(i => i.ProductId).Distinct(StringComparer.Ordinal))
        {
            _ = GrainFactory.GetGrainByKey<IProductGrain>(productId).SettleAsync(pending.OrderId);
        }
    }

    private async Task UndoAsync(PendingCheckout pending)
    {
        foreach (var item in pending.Items)
        {
            await GrainFactory.GetGrainByKey<IProductGrain>(item.ProductId).ReleaseAsync(pending.OrderId, item.Quantity);
        }

        state.State.Pending = null;
        await Writer.WriteAsync();
    }

    private Cart ToCart() => new()
    {
        UserId = UserId,
        Items = state.State.Items.ToArray(),
        Total = CartRules.Total(state.State.Items),
        Currency = CartRules.CurrencyOf(state.State.Items),
    };
}
