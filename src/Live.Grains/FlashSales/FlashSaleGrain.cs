using System.Diagnostics;
using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Live.Grains.Idempotency;
using Live.Grains.Ledger;
using Live.Grains.Orders;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;

namespace Live.Grains.FlashSales;

/// <summary>
/// The Orleans side of a flash sale: its ledger, timer, calls to the product, order books and room, and events.
/// The decisions are <see cref="FlashSaleRules"/>'; each becomes a <see cref="SaleEntry"/> that changes the state in
/// memory (<see cref="SaleLedger.Apply"/>) and waits for a <see cref="GroupCommit"/> that appends it, with every entry
/// made since the previous append, to the sale's ledger in one write. That write also puts each order it confirms at the
/// end of its buyer's order book (<see cref="OrderBookGrain"/>), so a confirmation and its order are stored together:
/// no call to the book and no write of its own per purchase.
/// </summary>
/// <remarks>
/// The state is rebuilt on activation from the ledger's snapshot and the entries after it. A write costs what was
/// decided since the previous one, not what the sale holds; snapshots are taken by the timer, off the purchase path.
/// A sale stored whole by earlier versions (<paramref name="legacy"/>) is read once and becomes its ledger's snapshot.
/// </remarks>
internal sealed partial class FlashSaleGrain(
    [PersistentState(StateNames.FlashSale, StorageNames.Live)] IPersistentState<FlashSaleState> legacy,
    ILedgerStore ledger,
    Serializer<SaleEntry> entryFormat,
    Serializer<FlashSaleState> snapshotFormat,
    Serializer<Order> orderFormat,
    TimeProvider time,
    IOptions<FlashSaleOptions> options,
    IOptions<IdempotencyOptions> idempotency,
    ILogger<FlashSaleGrain> logger) : Grain, IFlashSaleGrain, IIncomingGrainCallFilter, IRemindable
{
    // Every ledger call goes through this: a storage client's exception cannot be answered to a caller as it is.
    private readonly ILedgerStore ledger = new AnswerableLedgerStore(ledger);

    /// <summary>The sale's ledger in the <see cref="ILedgerStore"/>: (this name, the sale id).</summary>
    public const string LedgerName = StateNames.FlashSale;

    /// <summary>
    /// The reminder that wakes an ended sale when its oldest kept answer leaves the idempotency window, so that the
    /// compaction reaches storage even when nobody calls the sale again (<see cref="RemindOfCompactionAsync"/>).
    /// </summary>
    public const string CompactionReminder = "compact-answers";

    private const int MaxLedgerPage = 1000;

    private readonly FlashSaleRules _rules = new(options.Value);
    private readonly SaleProgress _progress = new(options.Value.RecentBuyers);
    private FlashSaleState _state = new();

    // The sale as the ledger has it: what reads and the room's progress show. _state runs ahead of it by the decisions
    // of an append still in flight, which must not be shown before they are stored (the append may fail).
    private FlashSale? _durableSale;
    private OrderOutbox? _outbox;
    private GroupCommit? _commit;

    // Entries applied in memory and not yet taken by an append, and the orders the order books have taken since the
    // last append (written behind, as one Delivered entry with the next append).
    private List<SaleEntry> _pending = [];
    private List<string> _delivered = [];

    // The ledger's stored length; the entries of the append in flight; the position of the last snapshot.
    private long _durable;
    private long _appending;
    private long _snapshotAt;
    private bool _snapshotting;

    // Answers were compacted out of memory since the state the stored snapshot holds: that snapshot (and every
    // activation that loads it) still carries them, however little the ledger grew, so a snapshot is due.
    private bool _compacted;

    // The decisions not yet durable, by request key, with the append that stores them: a replay of one is answered
    // only once that append has succeeded (BuyNow interleaves, so a replay can arrive mid-write).
    private readonly Dictionary<string, Task> _undurable = new(StringComparer.Ordinal);
    private IGrainTimer? _timer;

    // The room events the sale still owes its room, and the loop that hands them over (see AnnounceAsync).
    private readonly RoomAnnouncements _announcements = new();
    private Task _announcing = Task.CompletedTask;

    // When the oldest kept answer of an ended sale leaves the idempotency window: compaction does nothing before.
    private DateTimeOffset _nextCompaction = DateTimeOffset.MinValue;

    // The compaction time the reminder this activation registered fires at (null: none registered by it); after a
    // failed registration, not tried again before _reminderRetryAt.
    private DateTimeOffset? _remindedFor;
    private DateTimeOffset _reminderRetryAt = DateTimeOffset.MinValue;
    private int _reminderFailures;

    private string SaleId => this.GetPrimaryKeyString();

    private OrderOutbox Outbox => _outbox ??= new OrderOutbox(() => _state.Outbox);

    private GroupCommit Commit => _commit ??= new GroupCommit(AppendPendingAsync, _ => this.DeactivateOnIdle());

    /// <summary>The position the state in memory stands at: stored, being appended, and waiting entries.</summary>
    private long Position => _durable + _appending + _pending.Count;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await RebuildAsync();
        CompactRequests();
        if (_state.Sale is { Status: SaleStatus.Active } || Outbox.HasPending || FlashSaleRules.NeedsStockReturn(_state) || ReminderOwed)
        {
            EnsureTimer();
        }
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A last attempt at what the room is still owed; what it cannot take is lost with this activation (see
        // RoomAnnouncements: the room's check of overdue sales announces an end it never heard of).
        StartAnnouncing();
        await _announcing.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.ContinueOnCapturedContext | ConfigureAwaitOptions.SuppressThrowing);
        await Commit.WhenIdleAsync();
        if ((_pending.Count > 0 || _delivered.Count > 0) && !Commit.IsBroken)
        {
            await Commit.CommitAsync();
        }
    }

    /// <summary>
    /// An id that holds no sale (unknown, or a start that was refused) answers and leaves no activation. After a failed
    /// append this activation answers nothing (its memory is ahead of storage): the next call reloads from the ledger.
    /// </summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        if (_commit is { IsBroken: true })
        {
            throw Reloading();
        }

        return UnknownIds.InvokeAsync(context, () => _state.Sale is null, DeactivateOnIdle);
    }

    async Task<FlashSale> IFlashSaleGrain.StartAsync(
        string hostId, string roomId, Product product, NewFlashSale input, IReadOnlyCollection<string> bannedBuyers)
    {
        if (_state.Sale is { } started
            && started.RoomId == roomId && _state.HostId == hostId && started.Product.Id == product.Id)
        {
            // The room's call sent again (its silo died before it was answered): the sale it started, not a second.
            // The room's bans may have changed since, in a new activation that did not list this sale yet and so did
            // not tell it: the repeat brings them.
            var changes = FlashSaleRules.BanChangesTo(_state, bannedBuyers);
            if (changes.Length > 0)
            {
                foreach (var (user, isBanned) in changes)
                {
                    RaiseBan(user, isBanned);
                }

                await WriteAsync();
            }

            // Not answered from decisions still on their way to the ledger (the sale sold out by an append in flight).
            await StoredAsync();
            return Current;
        }

        if (_state.Sale is not null || Position > 0)
        {
            throw LiveException.Conflict($"flash sale {SaleId} already exists");
        }

        _rules.ValidateNew(input);

        // The sale's units come out of the product's regular stock: no stock is sold that the brand does not have.
        // Only the product's owner may sell it: the product refuses anyone else's reservation.
        if (!await GrainFactory.GetGrainByKey<IProductGrain>(product.Id).TryReserveForSaleAsync(hostId, SaleId, input.Quantity))
        {
            throw LiveException.Conflict($"product {product.Id} has fewer than {input.Quantity} units in stock");
        }

        var now = time.GetUtcNow();
        Raise(new SaleEntry
        {
            Kind = SaleEntryKind.Started,
            At = now,
            Sale = FlashSaleRules.Open(SaleId, roomId, product, input, now),
            HostId = hostId,
            Users = [.. bannedBuyers],
        });
        try
        {
            await WriteAsync();
        }
        catch (Exception e) when (e is not LiveException)
        {
            await ReturnUnstartedReservationAsync(product.Id, input.Quantity);
            throw;
        }

        EnsureTimer();
        return Current;
    }

    Task<FlashSale> IFlashSaleGrain.GetAsync()
    {
        var sale = Durable;
        return Task.FromResult(FlashSaleRules.IsOverdue(sale, time.GetUtcNow()) ? sale with { Status = SaleStatus.Ended } : sale);
    }

    Task<PurchaseOutcome> IFlashSaleGrain.BuyNowAsync(Caller buyer, int quantity, string requestId) =>
        BuyNowAsync(buyer, quantity, requestId);

    async Task<IReadOnlyList<PurchaseReply>> IFlashSaleGrain.BuyNowManyAsync(IReadOnlyList<PurchaseRequest> purchases)
    {
        ArgumentNullException.ThrowIfNull(purchases);
        var replies = new Task<PurchaseReply>[purchases.Count];

        // Every purchase is decided before the write they share starts: one append for the batch, not one for its
        // first purchase and another for the rest.
        using (Commit.Hold())
        {
            for (var i = 0; i < replies.Length; i++)
            {
                replies[i] = ReplyAsync(purchases[i]);
            }
        }

        return await Task.WhenAll(replies);
    }

    /// <summary>One purchase of a batch: its protocol error is its own answer; anything else fails the batch.</summary>
    private async Task<PurchaseReply> ReplyAsync(PurchaseRequest purchase)
    {
        try
        {
            return PurchaseReply.Of(await BuyNowAsync(purchase.Buyer, purchase.Quantity, purchase.RequestId));
        }
        catch (LiveException error)
        {
            return PurchaseReply.Failed(error);
        }
    }

    private async Task<PurchaseOutcome> BuyNowAsync(Caller buyer, int quantity, string requestId)
    {
        if (Commit.IsBroken)
        {
            // A write failed: the memory is ahead of storage until this activation is replaced. Nothing is answered
            // from it; the client retries the same request id against the state rebuilt from the ledger.
            throw Reloading();
        }

        _ = Current;
        CompactRequests();
        if (FlashSaleRules.Replay(_state, buyer.UserId, quantity, requestId) is { } earlier)
        {
            if (_undurable.TryGetValue(FlashSaleState.RequestKey(buyer.UserId, requestId), out var stored))
            {
                // Fails as the original does if its append fails: nothing is answered that storage does not have.
                await stored;
            }

            return new PurchaseOutcome { Result = earlier };
        }

        if (_state.BannedBuyers.Contains(buyer.UserId))
        {
            // The ban may still be on its way to the ledger (SetBuyerBannedAsync's append in flight): the refusal is not
            // answered before that is stored, and fails with it if its append fails.
            await StoredAsync();
        }

        FlashSaleRules.RequireNotBanned(_state, buyer.UserId);
        await EndIfDueAsync();
        var decision = FlashSaleRules.Decide(_state, buyer, quantity, requestId, time.GetUtcNow());
        if (!decision.IsRecorded)
        {
            // Nothing to append, but the answer follows from the sale's end, which may still be on its way to the
            // ledger (ended by this activation, its append waiting or in flight): it is not answered before that is
            // stored, as a replay is not.
            await StoredAsync();

            LiveGrainMetrics.Purchase(decision.Result.Status, 0);
            return new PurchaseOutcome { Result = decision.Result };
        }

        Raise(decision.Entry);

        // Every recorded decision, a refusal as much as a confirmation, is in the ledger before it is answered: the
        // ledger is the audit log of the answers given (a user's refusals up to FlashSaleRules.MaxRecordedRefusalsPerUser),
        // and a retry gets the same answer after any crash. The append is shared with every decision made meanwhile
        // (group commit).
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

        if (!decision.IsConfirmed)
        {
            LiveGrainMetrics.Purchase(decision.Result.Status, 0);
            return new PurchaseOutcome { Result = decision.Result };
        }

        // The order went into the buyer's order book with the append that stored its confirmation.
        LiveGrainMetrics.Purchase(PurchaseStatus.Confirmed, quantity);
        _progress.Sold(buyer.DisplayName);
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
        if (_state.BannedBuyers.Contains(userId) != banned)
        {
            RaiseBan(userId, banned);
            await WriteAsync();
        }
    }

    /// <summary>The room's ban or unban of <paramref name="userId"/>, as the ledger's entry (written by the caller).</summary>
    private void RaiseBan(string userId, bool banned) =>
        Raise(new SaleEntry { Kind = banned ? SaleEntryKind.Banned : SaleEntryKind.Unbanned, At = time.GetUtcNow(), UserId = userId });

    async Task<FlashSale> IFlashSaleGrain.EndAsync(string hostId)
    {
        if (Current is var sale && _state.HostId != hostId)
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

    async Task<FlashSaleLedgerPage> IFlashSaleGrain.ReadLedgerAsync(string hostId, long after, int limit)
    {
        RequireHost(hostId);
        if (after < 0)
        {
            throw LiveException.Invalid("after must be 0 or more");
        }

        if (limit < 1 || limit > MaxLedgerPage)
        {
            throw LiveException.Invalid($"limit must be 1 to {MaxLedgerPage}");
        }

        var records = await ledger.ReadAsync(LedgerName, SaleId, after, limit);
        return new FlashSaleLedgerPage
        {
            SaleId = SaleId,
            Entries = [.. records.Select(r => SaleAuditor.View(r.Position, ReadEntry(r.Payload)))],
            Next = records.Count == limit ? records[^1].Position : null,
        };
    }

    async Task<FlashSaleAudit> IFlashSaleGrain.AuditAsync(string hostId)
    {
        RequireHost(hostId);
        await Outbox.DeliverAsync(DeliverAsync);

        var auditor = new SaleAuditor();
        await foreach (var record in ledger.ReadAllAsync(LedgerName, SaleId))
        {
            auditor.Add(record.Position, ReadEntry(record.Payload));
        }

        // Every user the ledger decided for: their books hold each confirmed order once, and no other order of this sale.
        // An order counts the units it holds itself, not the units its confirmation says.
        var found = 0;
        var outside = new HashSet<string>(StringComparer.Ordinal);
        using var gate = new SemaphoreSlim(32);
        var counts = auditor.Users.Select(async user =>
        {
            await gate.WaitAsync();
            try
            {
                var confirmed = auditor.OrdersByBuyer.GetValueOrDefault(user);
                var orders = (await GrainFactory.GetGrainByKey<IOrderBookGrain>(user).ListAsync()).Where(o => o.SaleId == SaleId).ToArray();
                return (
                    Units: orders.Where(o => confirmed?.ContainsKey(o.Id) == true).Sum(o => o.Items.Sum(i => i.Quantity)),
                    Outside: orders.Where(o => confirmed?.ContainsKey(o.Id) != true).Select(o => o.Id).ToArray());
            }
            finally
            {
                gate.Release();
            }
        });
        foreach (var (units, others) in await Task.WhenAll(counts))
        {
            found += units;
            outside.UnionWith(others);
        }

        // The sale may still be selling: the books were read after the ledger, so they can hold orders confirmed since
        // the replay stopped. Those are the ledger's too (past the audited entries, not counted on either side).
        if (outside.Count > 0)
        {
            await foreach (var record in ledger.ReadAllAsync(LedgerName, SaleId, auditor.Position))
            {
                if (ReadEntry(record.Payload) is { IsConfirmation: true, OrderId: { } later })
                {
                    outside.Remove(later);
                }
            }
        }

        var unconfirmed = outside.Count;
        return auditor.Result(SaleId, found, unconfirmed);
    }

    private FlashSale Current => _state.Sale ?? throw LiveException.NotFound($"flash sale {SaleId} not found");

    /// <summary>The sale as stored: after the last append that succeeded (or as rebuilt on activation).</summary>
    private FlashSale Durable => _durableSale ?? throw LiveException.NotFound($"flash sale {SaleId} not found");

    private void RequireHost(string hostId)
    {
        if (Current is var sale && _state.HostId != hostId)
        {
            throw LiveException.Forbidden($"only the host of room {sale.RoomId} may read this sale's ledger");
        }
    }

    /// <summary>Applies <paramref name="entry"/> to the state and queues it for the next append.</summary>
    private void Raise(SaleEntry entry)
    {
        SaleLedger.Apply(_state, entry);
        _pending.Add(entry);
        if (entry.IsConfirmation)
        {
            // Its order joined the outbox in memory; no delivery loop offers it before the append that stores it.
            Outbox.Unwritten(entry.OrderId!);
        }
    }

    /// <summary>The snapshot, then every entry after it (a sale stored whole by an earlier version is the snapshot).</summary>
    private async Task RebuildAsync()
    {
        if (await ledger.ReadSnapshotAsync(LedgerName, SaleId) is { } snapshot)
        {
            _state = snapshotFormat.Deserialize(snapshot.Payload) ?? throw new InvalidOperationException($"flash sale {SaleId}: empty snapshot");
            _durable = snapshot.Position;
        }
        else if (legacy.RecordExists && legacy.State.Sale is not null)
        {
            _state = legacy.State;
            IdempotencyWindow.Backfill(_state.Requests, _state.AnsweredAt, time.GetUtcNow());
            await ledger.WriteSnapshotAsync(LedgerName, SaleId, new LedgerRecord(0, snapshotFormat.SerializeToArray(_state)));
        }

        _snapshotAt = _durable;
        await foreach (var record in ledger.ReadAllAsync(LedgerName, SaleId, after: _durable))
        {
            SaleLedger.Apply(_state, ReadEntry(record.Payload));
            _durable = record.Position;
        }

        _durableSale = _state.Sale;
    }

    private async Task EndIfDueAsync()
    {
        if (FlashSaleRules.IsOverdue(_state.Sale, time.GetUtcNow()))
        {
            await EndAsync(SaleStatus.Ended);
        }
    }

    private async Task EndAsync(string status)
    {
        var sale = Current;
        if (sale.Status != SaleStatus.Active)
        {
            // Over already in memory, perhaps by a decision whose append is still in flight (the last unit sold): the
            // end is not answered before that is stored, and fails with it if that append fails (the sale, rebuilt,
            // is then still selling, and the host's or the room's retry ends it).
            await StoredAsync();
            return;
        }

        Raise(new SaleEntry { Kind = SaleEntryKind.Ended, At = time.GetUtcNow(), Status = status });
        await WriteAsync();
        await AnnounceEndAsync();
    }

    /// <summary>Tells the room the sale is over, then gives unsold units back to the product's stock.</summary>
    private async Task AnnounceEndAsync()
    {
        var sale = Current;
        PublishProgress();
        Announce(new FlashSaleEndedEvent { RoomId = sale.RoomId, Sale = sale });
        await GrainFactory.GetGrainByKey<ILiveRoomGrain>(sale.RoomId).SaleChangedAsync(sale);
        LogSaleEnded(logger, SaleId, sale.Status, sale.Quantity - sale.Remaining, sale.Quantity);
        await ReturnStockAsync();
    }

    /// <summary>
    /// Drops an ended sale's answers older than the idempotency window (<see cref="FlashSaleRules.CompactRequests"/>)
    /// from memory, and makes a snapshot due so that storage drops them too: an ended sale's ledger hardly grows, so
    /// the growth rule alone would keep them in its stored snapshot, loaded by every activation, for good. The
    /// snapshot is the timer's (<see cref="SnapshotIfDueAsync"/>), off the purchase path. The ledger keeps every
    /// decision (it is the audit log); an activation that replays older entries after the snapshot drops them again.
    /// </summary>
    private void CompactRequests()
    {
        var now = time.GetUtcNow();
        if (now < _nextCompaction)
        {
            return;
        }

        var (dropped, nextDue) = FlashSaleRules.CompactRequests(_state, idempotency.Value.Window, now);
        if (dropped > 0)
        {
            _compacted = true;
            EnsureTimer();
        }

        // An answer given from now on falls due a window from now at the earliest.
        _nextCompaction = _state.Sale is { Status: SaleStatus.Active } ? DateTimeOffset.MinValue : nextDue ?? now + idempotency.Value.Window;
    }

    /// <summary>
    /// An ended sale keeps answers inside the idempotency window and no reminder of this activation fires when the
    /// oldest leaves it.
    /// </summary>
    private bool ReminderOwed => _state.Sale is not { Status: SaleStatus.Active } && _state.Requests.Count > 0 && _remindedFor != _nextCompaction;

    /// <summary>
    /// Registers (or moves) the <see cref="CompactionReminder"/> of an ended sale to fire when its oldest kept answer
    /// leaves the window. An idle ended sale is deactivated long before that, and its stored snapshot would keep the
    /// answers for good; an Orleans reminder is stored (in the embedded database, in Redis) and wakes the sale after
    /// a restart too. A registration that fails is logged once and made again at a tick 10 s later.
    /// </summary>
    private async Task RemindOfCompactionAsync()
    {
        var now = time.GetUtcNow();
        if (!ReminderOwed || now < _reminderRetryAt)
        {
            return;
        }

        var due = _nextCompaction - now;
        try
        {
            // Orleans skips a firing that falls while no silo runs (a restart after a SIGKILL) and fires at the next
            // period instead: a 24th of the window (an hour by default, a minute at least), so such a firing comes at
            // most that late. Each firing moves the reminder to the next answer's time or removes it.
            var period = TimeSpan.FromTicks(Math.Max(idempotency.Value.Window.Ticks / 24, TimeSpan.FromMinutes(1).Ticks));
            await this.RegisterOrUpdateReminder(CompactionReminder, due > TimeSpan.Zero ? due : TimeSpan.Zero, period);
            _remindedFor = _nextCompaction;
            _reminderFailures = 0;
        }
        catch (Exception ex)
        {
            // Storage out of reach: tried again ten seconds later, not at every tick; logged once per outage.
            _reminderRetryAt = now + TimeSpan.FromSeconds(10);
            if (_reminderFailures++ == 0)
            {
                LogReminderFailed(logger, ex, SaleId);
            }
        }
    }

    /// <summary>
    /// The <see cref="CompactionReminder"/>: drops what left the window, writes the snapshot without it, and either
    /// moves the reminder to the next answer's time or, when no answer is kept any more, unregisters it.
    /// </summary>
    async Task IRemindable.ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != CompactionReminder)
        {
            return;
        }

        CompactRequests();
        await SnapshotIfDueAsync();
        if (SnapshotDue)
        {
            // Not in storage yet: the timer tries again, and the reminder fires again.
            EnsureTimer();
            return;
        }

        if (_state.Sale is { Status: SaleStatus.Active } || _state.Requests.Count > 0)
        {
            await RemindOfCompactionAsync();
            return;
        }

        if (await this.GetReminder(CompactionReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _remindedFor = null;
        LogCompactionDone(logger, SaleId);
    }

    private async Task ReturnStockAsync()
    {
        if (!FlashSaleRules.NeedsStockReturn(_state))
        {
            return;
        }

        var sale = Current;
        await GrainFactory.GetGrainByKey<IProductGrain>(sale.Product.Id).ReleaseAsync(SaleId, sale.Remaining);
        if (!_state.StockReturned)
        {
            Raise(new SaleEntry { Kind = SaleEntryKind.StockReturned, At = time.GetUtcNow() });
            await WriteAsync();
        }
    }

    private void PublishProgress()
    {
        var sale = Durable;
        if (_progress.TakeUpdate(sale) is { } progress)
        {
            Announce(new FlashSaleUpdatedEvent { RoomId = sale.RoomId, Progress = progress });
        }
    }

    /// <summary>Queues a room event for the room (<see cref="RoomAnnouncements"/>) and starts handing it over.</summary>
    private void Announce(RoomEvent roomEvent)
    {
        _announcements.Add(roomEvent);
        StartAnnouncing();
    }

    private void StartAnnouncing()
    {
        if (_announcing.IsCompleted && _announcements.HasPending)
        {
            _announcing = AnnounceAsync();
        }
    }

    /// <summary>
    /// Hands the owed events to the room one awaited call at a time, oldest first; a failed call leaves its event for
    /// the timer's next tick, which keeps running while anything is owed. At least once: a call that failed after the
    /// room numbered its event is sent again, and the room numbers it again (a viewer may see a sale's end twice, the
    /// same sale both times; never not at all).
    /// </summary>
    /// <remarks>
    /// Not awaited by the request or tick that raised the event, on purpose: the room calls this sale (its end, a ban)
    /// and its tick asks overdue sales for their state, and neither grain is reentrant, so a sale that waited for the
    /// room inside one of its own turns could wait for a room that waits for it. The loop runs on the activation's
    /// scheduler between turns, as a grain's own task does; requests keep being served meanwhile.
    /// </remarks>
    private async Task AnnounceAsync()
    {
        while (_announcements.Next() is { } next)
        {
            try
            {
                await GrainFactory.GetGrainByKey<ILiveRoomGrain>(next.RoomId).AnnounceAsync(next);
                _announcements.Delivered();
            }
            catch (Exception ex)
            {
                _announcements.Failed();
                LiveGrainMetrics.RoomAnnouncementFailed();
                LogAnnounceFailed(logger, ex, next.GetType().Name, SaleId, _announcements.Count);
                EnsureTimer();
                return;
            }
        }
    }

    /// <summary>
    /// The outbox's way to an order book, for orders whose confirmation is stored without a record of their delivery
    /// (confirmed by an earlier version, or by an activation that stopped before its next append said they were in
    /// the books). Idempotent by order id, so a crash or a race only means a redelivery.
    /// </summary>
    private async Task<bool> DeliverAsync(Order order)
    {
        try
        {
            await GrainFactory.GetGrainByKey<IOrderBookGrain>(order.UserId).AddAsync(order);
            if (Outbox.Acknowledge(order.Id))
            {
                _delivered.Add(order.Id);
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
    /// The start's append failed: when storage shows no start (read after the failed append, on the same store, so an
    /// append that was only late is seen), the units reserved for it go back to the product, which would otherwise keep
    /// them for a sale that never was; the same start sent again reserves them anew. When the ledger has the start
    /// after all, or cannot be read, the reservation stays with the sale, whose end returns what it did not sell.
    /// </summary>
    private async Task ReturnUnstartedReservationAsync(string productId, int quantity)
    {
        try
        {
            if ((await ledger.ReadAsync(LedgerName, SaleId, 0, 1)).Count == 0)
            {
                await GrainFactory.GetGrainByKey<IProductGrain>(productId).ReleaseAsync(SaleId, quantity);
            }
        }
        catch (Exception e)
        {
            LogReservationKept(logger, e, SaleId, quantity, productId);
        }
    }

    /// <summary>Completes once the caller's entries are in the ledger (see <see cref="GroupCommit"/>).</summary>
    private Task WriteAsync() => Commit.IsBroken ? Task.FromException(Reloading()) : Commit.CommitAsync();

    /// <summary>
    /// Completes once the memory an answer is about to be read from is in the ledger: at once when nothing is waiting
    /// or in flight, otherwise with the next append (and fails with it, or at once on an activation whose write failed).
    /// </summary>
    private Task StoredAsync() => Position > _durable || Commit.IsBroken ? WriteAsync() : Task.CompletedTask;

    /// <summary>
    /// The group commit's write: appends every entry made since the previous append (and one Delivered entry for the
    /// orders delivered meanwhile), in one write at the ledger's stored length. Its cost is what it appends.
    /// </summary>
    private async Task AppendPendingAsync()
    {
        TakeDelivered();
        if (_pending.Count == 0)
        {
            return;
        }

        var batch = _pending;
        _pending = [];

        // The sale after every entry of this batch (a record: later decisions replace it, never change it).
        var saleAfter = _state.Sale;
        var payloads = new byte[batch.Count][];
        List<LedgerTailEntry>? orders = null;
        for (var i = 0; i < batch.Count; i++)
        {
            payloads[i] = entryFormat.SerializeToArray(batch[i]);
            if (batch[i].IsConfirmation)
            {
                // Its order, at the end of the buyer's order book, in this same write.
                orders ??= [];
                orders.Add(new LedgerTailEntry(OrderBookGrain.LedgerName, batch[i].UserId!, orderFormat.SerializeToArray(SaleLedger.OrderOf(Current, batch[i]))));
            }
        }

        _appending = batch.Count;
        await ledger.AppendAsync(LedgerName, SaleId, _durable, payloads, orders ?? []);

        // (A failed append breaks the commit, and a broken activation appends nothing more: neither its decisions nor
        // their orders are anywhere.) The orders are in the books: the next append records that (a Delivered entry), and
        // until then the outbox holds them, so an activation that stops first has them offered again, idempotently.
        _durable += batch.Count;
        _durableSale = saleAfter;
        _appending = 0;
        foreach (var entry in batch)
        {
            if (entry.IsConfirmation)
            {
                Outbox.Written(entry.OrderId!);
                if (Outbox.Acknowledge(entry.OrderId!))
                {
                    _delivered.Add(entry.OrderId!);
                }
            }
        }

        if (SnapshotDue)
        {
            EnsureTimer();
        }
    }

    private void TakeDelivered()
    {
        if (_delivered.Count > 0)
        {
            Raise(new SaleEntry { Kind = SaleEntryKind.Delivered, At = time.GetUtcNow(), OrderIds = [.. _delivered] });
            _delivered = [];
        }
    }

    /// <summary>
    /// Snapshots the state once the ledger has grown enough (<see cref="FlashSaleOptions.SnapshotEntries"/>) or answers
    /// were compacted out of it (<see cref="CompactRequests"/>): the state
    /// is copied in one turn at the position it stands at, and the copy is written once every entry up to there is in
    /// the ledger. A snapshot is only a shortcut for the next activation: one that fails is logged and tried again.
    /// </summary>
    private async Task SnapshotIfDueAsync()
    {
        if (_snapshotting || Commit.IsBroken || !SnapshotDue)
        {
            return;
        }

        _snapshotting = true;
        var compacted = _compacted;
        try
        {
            TakeDelivered();
            var position = Position;
            // The copy is this turn's (flat, about 10 ms a million answers); its serialization, which took the grain
            // 0.3–1 s at that size (docs/PERF.md §38), runs on the thread pool while purchases go on.
            var started = Stopwatch.GetTimestamp();
            var copy = _state.Copy();
            var copied = Stopwatch.GetElapsedTime(started);
            _compacted = false;
            var payload = await Task.Run(() => snapshotFormat.SerializeToArray(copy));
            var serialized = Stopwatch.GetElapsedTime(started) - copied;
            await WriteAsync();
            await ledger.WriteSnapshotAsync(LedgerName, SaleId, new LedgerRecord(position, payload));
            _snapshotAt = position;
            LogSnapshot(logger, SaleId, position, payload.Length, copied.TotalMilliseconds, serialized.TotalMilliseconds);
        }
        catch (Exception ex)
        {
            // The compaction is still not in storage: the next tick tries again.
            _compacted |= compacted;
            LogSnapshotFailed(logger, ex, SaleId);
        }
        finally
        {
            _snapshotting = false;
        }
    }

    private SaleEntry ReadEntry(byte[] payload) =>
        entryFormat.Deserialize(payload) ?? throw new InvalidOperationException($"flash sale {SaleId}: empty ledger entry");

    private bool SnapshotDue => _compacted || Position - _snapshotAt >= Math.Max(options.Value.SnapshotEntries, _snapshotAt);

    /// <summary>Answered once an append failed: <c>unavailable</c> when storage was out of reach (see <see cref="StateWriter.Reloading"/>).</summary>
    private Exception Reloading() => StateWriter.Reloading($"flash sale {SaleId}", Commit.Failure);

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
        if (Commit.IsBroken)
        {
            // Memory is ahead of storage: nothing is published or delivered from it; the activation is being replaced.
            return;
        }

        await EndIfDueAsync();
        if (_durableSale is { Status: SaleStatus.Active } sale && _progress.IsDirty)
        {
            PublishProgress();
            await GrainFactory.GetGrainByKey<ILiveRoomGrain>(sale.RoomId).SaleChangedAsync(Durable);
        }

        StartAnnouncing();
        await Outbox.DeliverAsync(DeliverAsync);
        await ReturnStockAsync();
        CompactRequests();
        if (_pending.Count > 0 || _delivered.Count > 0)
        {
            await WriteAsync();
        }

        await SnapshotIfDueAsync();
        if (!SnapshotDue)
        {
            // Moved to the next answer's time only once storage has dropped the answers that were due.
            await RemindOfCompactionAsync();
        }
        if (_state.Sale is not { Status: SaleStatus.Active } && !Outbox.HasPending && !FlashSaleRules.NeedsStockReturn(_state) && !SnapshotDue
            && !_announcements.HasPending && !ReminderOwed)
        {
            _timer?.Dispose();
            _timer = null;
        }
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Flash sale {SaleId} {Status}: {Sold} of {Quantity} sold")]
    private static partial void LogSaleEnded(ILogger logger, string saleId, string status, int sold, int quantity);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Order {OrderId} for {UserId} not yet delivered; retrying")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string orderId, string userId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Debug, Message = "Flash sale {SaleId} snapshotted at ledger position {Position} ({Bytes} bytes; copied in {CopyMs:F1} ms in the grain's turn, serialized off it and back in the grain after {SerializeMs:F1} ms)")]
    private static partial void LogSnapshot(ILogger logger, string saleId, long position, int bytes, double copyMs, double serializeMs);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Warning, Message = "{EventType} of flash sale {SaleId} not taken by its room; {Count} events wait for the next try")]
    private static partial void LogAnnounceFailed(ILogger logger, Exception exception, string eventType, string saleId, int count);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Flash sale {SaleId}'s start was not stored, and its {Quantity} units reserved of product {ProductId} could not be returned")]
    private static partial void LogReservationKept(ILogger logger, Exception exception, string saleId, int quantity, string productId);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Flash sale {SaleId} could not register the reminder of its answers' compaction; it tries again every 10 s")]
    private static partial void LogReminderFailed(ILogger logger, Exception exception, string saleId);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Flash sale {SaleId} keeps no answer past the idempotency window any more; its compaction reminder is removed")]
    private static partial void LogCompactionDone(ILogger logger, string saleId);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "Flash sale {SaleId} could not write its snapshot; the next tick tries again")]
    private static partial void LogSnapshotFailed(ILogger logger, Exception exception, string saleId);
}
