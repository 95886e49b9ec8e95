using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Contracts.Rooms;
using Live.Grains.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Live.Grains.Rooms;

/// <summary>
/// A room's single point of truth. Lifecycle, pin and sales are written before they are answered; chat and likes are
/// written behind (at most every <see cref="LiveRoomOptions.PersistInterval"/>). A tick batches chat and coalesces
/// likes and viewer counts, so a room sends its viewers a bounded number of events a second however busy it is.
/// The rules live in plain classes; the grain persists, keeps the tick, calls other grains and publishes.
/// </summary>
internal sealed partial class LiveRoomGrain(
    [PersistentState(StateNames.Room, StorageNames.Live)] IPersistentState<LiveRoomState> state,
    IRoomEventPublisher events,
    TimeProvider time,
    IOptions<LiveRoomOptions> options,
    ILogger<LiveRoomGrain> logger) : Grain, ILiveRoomGrain, IIncomingGrainCallFilter
{
    private StateWriter? _writer;

    // Every write goes through it: after a failed write this activation answers nothing and is replaced.
    private StateWriter Writer => _writer ??= new StateWriter(ct => state.WriteStateAsync(ct), DeactivateOnIdle, $"room {RoomId}");

    // Built at activation: only then are the room id and the stored state known. The state is read once, before
    // activation, so the rules may keep its parts.
    private RoomLifecycle _lifecycle = null!;
    private RoomModerationRules _moderation = null!;
    private ChatBatcher _chat = null!;
    private RoomCounters _counters = null!;
    private IdleRoomWatch _idle = null!;
    private SaleProgressPacing _progress = null!;
    private RoomSales _sales = null!;
    private RoomSequence _sequence = null!;
    private RetainedEvents _retained = null!;
    private RoomHeartbeat _heartbeat = null!;
    private RepeatedCalls<ChatMessage> _sentChat = null!;
    private RepeatedCalls<long> _likes = null!;

    private DateTimeOffset _persistedAt;
    private bool _dirty;

    // The tick's write-behind of chat and likes while it is in flight: not awaited by the tick, so the room keeps
    // taking chat during its fsync; every other write waits for it first (see WriteAsync).
    private Task _behind = Task.CompletedTask;

    /// <summary>
    /// The room as the directory should list it while telling the directory has failed (<see cref="ListAsync"/>); the
    /// tick tells it again from <see cref="_listAgainAt"/>.
    /// </summary>
    private Room? _unlisted;

    private DateTimeOffset _listAgainAt;

    // Write-behinds in a row that found storage out of reach (WriteBehindAsync).
    private int _deferredWrites;
    private IGrainTimer? _tick;
    private IGrainTimer? _chatDue;

    private string RoomId => this.GetPrimaryKeyString();

    private Room Current => _lifecycle.Current(state.State.Room);

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var stored = state.State;
        _lifecycle = new RoomLifecycle(RoomId);
        _moderation = new RoomModerationRules(RoomId, stored.Moderation, options.Value);
        _chat = new ChatBatcher(RoomId, stored.RecentChat, stored.DeletedChat, options.Value);
        _counters = new RoomCounters(RoomId, stored.Likes, options.Value);
        _progress = new SaleProgressPacing(options.Value);
        _sales = new RoomSales(stored.ActiveSales);
        _sentChat = new RepeatedCalls<ChatMessage>(options.Value.MaxRepeatIds, options.Value.RepeatWindow);
        _likes = new RepeatedCalls<long>(options.Value.MaxRepeatIds, options.Value.RepeatWindow);
        foreach (var message in stored.RecentChat)
        {
            // Written behind before an earlier activation died: a retry of it finds it taken.
            _sentChat.Add(message.Id, message.UserId, message with { Seq = null }, message.SentAt);
        }

        var now = time.GetUtcNow();
        if (stored.Handoff is { } handoff && handoff.Last <= stored.SequenceCeiling)
        {
            // The earlier activation deactivated gracefully and handed its window over: the same stream goes on (same
            // epoch, the next number). Taken out of storage before anything is numbered, so an activation that dies
            // without handing over in turn does not pass the same numbers on twice.
            _sequence = new RoomSequence(stored.SequenceCeiling, options.Value.SequenceBlock, handoff.Epoch, handoff.Last);
            _retained = RetainedEvents.Restore(RoomId, handoff, options.Value, now);
            stored.Handoff = null;
            await WriteAsync(cancellationToken: cancellationToken);
        }
        else
        {
            // The retained history was lost (the earlier activation died, or could not write its handoff): a new
            // epoch, numbered from above anything an earlier one may have used.
            _sequence = new RoomSequence(stored.SequenceCeiling, options.Value.SequenceBlock, Ids.New("ep"));
            _retained = new RetainedEvents(RoomId, _sequence.Last, options.Value);
            if (stored.SequenceCeiling > 0)
            {
                // Not a new room: its stream had numbered events, and whatever the lost activation had not sent, or had
                // accepted and not yet written behind (chat, likes), went with it. Viewers see the new epoch and resume
                // from a snapshot; counted so that an operator sees how often.
                LiveGrainMetrics.EpochLost();
                LogEpochLost(logger, RoomId, _sequence.Epoch);
            }
        }

        _heartbeat = new RoomHeartbeat(options.Value.HeartbeatInterval, now, options.Value.ViewerReportExpiry);
        _idle = new IdleRoomWatch(options.Value.EndIdleAfter, now);
        if (Beats(now))
        {
            EnsureTick();
        }
    }

    /// <summary>
    /// Whether the room has a heartbeat: while it is open, and for <see cref="LiveRoomOptions.RetainedFor"/> after its
    /// end: its last events (<c>StreamEnded</c>, the <c>FlashSaleEnded</c>s of its open sales) are followed by nothing
    /// else, so without a heartbeat a viewer whose copy of them was lost would never see the gap, and would show the
    /// room live for good.
    /// </summary>
    private bool Beats(DateTimeOffset now) => state.State.Room switch
    {
        { Status: RoomStatus.Ended, EndedAt: { } endedAt } => now - endedAt < options.Value.RetainedFor,
        { Status: RoomStatus.Ended } => false,
        { } => true,
        null => false,
    };

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        FlushChat();

        // After a failed write the memory is not trusted: it is not written either (the next activation starts a new
        // epoch). Otherwise the retained window goes to the next activation with this last write.
        if (Writer.IsBroken || state.State.Room is null)
        {
            return;
        }

        try
        {
            // A sale's progress a big room held goes now: the next activation starts with nothing held, and the
            // viewers would keep the older units left until the sale's next progress.
            foreach (var progress in _progress.TakeHeld())
            {
                await EmitAsync(progress);
            }

            if (_retained.Last == _sequence.Last)
            {
                state.State.Handoff = _retained.Export(_sequence.Epoch);
            }

            await WriteAsync(cancellationToken: cancellationToken);
        }
        catch (Exception ex)
        {
            // At shutdown the storage may already be gone (memory storage); what is lost is chat and likes of the
            // last write-behind interval, never commerce. One line, not a stack trace per room.
            LogFinalWriteFailed(logger, RoomId, ex.GetType().Name);
        }
    }

    /// <summary>
    /// Any id may be asked for (an anonymous <c>GET /api/rooms/{id}</c>): one that holds no room answers
    /// <c>not_found</c> and leaves no activation behind.
    /// </summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        Writer.ThrowIfBroken();
        return UnknownIds.InvokeAsync(context, () => state.State.Room is null, DeactivateOnIdle);
    }

    async Task<Room> ILiveRoomGrain.CreateAsync(string hostId, NewRoom input)
    {
        // A repeat of the creation (a retry) answers the stored room; the directory is told again, in case the first
        // attempt's silo died before it was.
        var repeat = state.State.Room is not null;
        var room = _lifecycle.Create(state.State.Room, hostId, input, time.GetUtcNow());
        if (!repeat)
        {
            // Storage out of reach: nothing was created, and the caller retries (the id stays free until then).
            state.State.Room = room;
            await WriteOrUndoAsync(() => state.State.Room = null);
        }

        EnsureTick();
        await ListAsync(room);
        return room;
    }

    Task<Room> ILiveRoomGrain.GetRoomAsync() => Task.FromResult(Current);

    Task<RoomSnapshot> ILiveRoomGrain.GetSnapshotAsync() => Task.FromResult(Snapshot());

    Task<RoomSnapshot> ILiveRoomGrain.JoinAsync(string? userId)
    {
        _ = Current;
        if (userId is not null)
        {
            _moderation.RequireNotBanned(userId);
        }

        return Task.FromResult(Snapshot(positioned: true));
    }

    Task<RoomCatchUp> ILiveRoomGrain.ResumeAsync(string? userId, string epoch, long seq)
    {
        _ = Current;
        Ids.Require(epoch, "epoch");
        if (seq < 0)
        {
            throw LiveException.Invalid("seq must be 0 or more");
        }

        if (userId is not null)
        {
            _moderation.RequireNotBanned(userId);
        }

        // Chat is numbered as it is accepted and retained as it is sent: the messages still waiting for their batch are
        // the newest numbers, answered from the batcher.
        if (epoch == _sequence.Epoch && seq <= _sequence.Last && _retained.After(Math.Min(seq, _retained.Last)) is { } missed)
        {
            if (_chat.PendingAfter(seq) is { Length: > 0 } pending)
            {
                missed = [.. missed, new ChatBatchEvent { RoomId = RoomId, Messages = pending, Seq = pending[^1].Seq!.Value }];
            }

            return Task.FromResult(new RoomCatchUp { Resumed = true, Epoch = _sequence.Epoch, Seq = _sequence.Last, Events = missed, HostId = Current.HostId });
        }

        var snapshot = Snapshot(positioned: true);
        return Task.FromResult(new RoomCatchUp { Resumed = false, Epoch = _sequence.Epoch, Seq = _sequence.Last, Snapshot = snapshot });
    }

    async Task ILiveRoomGrain.AnnounceAsync(RoomEvent roomEvent)
    {
        if (roomEvent.RoomId != RoomId || !roomEvent.IsSequenced)
        {
            LogForeignEvent(logger, roomEvent.GetType().Name, roomEvent.RoomId, RoomId);
            return;
        }

        // The room's own view moves with the events it sends, so a snapshot taken after one reflects it: a viewer
        // drops the event as already seen (its seq is at or below the snapshot's) and must find it in the snapshot.
        var changed = roomEvent switch
        {
            FlashSaleEndedEvent e => _sales.Apply(e.Sale),
            FlashSaleUpdatedEvent e => _sales.ApplyProgress(e.Progress),
            _ => false,
        };
        _dirty |= changed;
        if (roomEvent is FlashSaleUpdatedEvent update)
        {
            // A big room sends a sale's progress less often than the sale does (ValuePacing): held, it goes at the tick.
            var now = time.GetUtcNow();
            if (_progress.Offer(update, _counters.Viewers(now), now) is null)
            {
                EnsureTick();
                return;
            }
        }
        else if (roomEvent is FlashSaleEndedEvent ended)
        {
            _progress.Ended(ended.Sale.Id);
            _sales.Announced(ended.Sale.Id);
        }

        await EmitAsync(roomEvent);
    }

    Task ILiveRoomGrain.RequireMayBuyAsync(string userId)
    {
        _moderation.RequireNotBanned(userId);
        return Task.CompletedTask;
    }

    async Task<ModerationView> ILiveRoomGrain.AssignModeratorAsync(string hostId, string userId, bool assigned)
    {
        _lifecycle.RequireHost(state.State.Room, hostId);
        await ModerateAsync(() => _moderation.AssignModerator(userId, assigned));
        return _moderation.View();
    }

    Task<ModerationView> ILiveRoomGrain.GetModerationAsync(Actor actor)
    {
        _moderation.RequireStaff(Current, actor);
        return Task.FromResult(_moderation.View());
    }

    async Task<bool> ILiveRoomGrain.DeleteChatAsync(Actor actor, string messageId)
    {
        _moderation.RequireStaff(Current, actor);
        Ids.Require(messageId, "messageId");

        // A pending message has its number already: it goes out, then its deletion, so the stream keeps no hole.
        FlushChat();
        var (chat, retained) = (_chat.Copy(), _retained.Copy());
        var deletion = _chat.Delete(messageId);
        if (deletion == ChatDeletion.NotFound)
        {
            return false;
        }

        _retained.Forget(messageId);

        if (deletion == ChatDeletion.AlreadyDeleted)
        {
            // The hub sent this call again, or another moderator was first: gone once, told once.
            return true;
        }

        // Storage out of reach: the message is back where it was (the recent chat, the resume window), and the
        // moderator retries. ChatDeleted's number is reserved in the same write.
        await WriteOrUndoAsync(
            () =>
            {
                _chat.PutBack(chat);
                _retained.PutBack(retained);
            },
            reserve: deletion == ChatDeletion.Published ? 1 : 0);
        if (deletion == ChatDeletion.Published)
        {
            await EmitAsync(new ChatDeletedEvent { RoomId = RoomId, MessageId = messageId });
        }

        LogModeration(logger, RoomId, actor.UserId, "delete-chat", messageId);
        return true;
    }

    async Task<ModerationView> ILiveRoomGrain.MuteAsync(Actor actor, string userId, int seconds)
    {
        var room = Current;
        _moderation.RequireStaff(room, actor);
        await ModerateAsync(() => _moderation.Mute(room, userId, seconds, time.GetUtcNow()));
        LogModeration(logger, RoomId, actor.UserId, seconds == 0 ? "unmute" : "mute", userId);
        return _moderation.View();
    }

    async Task<ModerationView> ILiveRoomGrain.BanAsync(Actor actor, string userId, bool banned)
    {
        var room = Current;
        _moderation.RequireStaff(room, actor);
        await ModerateAsync(() => _moderation.Ban(room, userId, banned), reserve: 1);

        if (banned)
        {
            // Sent on a repeat too: the same call sent again (a retry across a silo's loss) may follow a first attempt
            // whose activation wrote the ban and died before telling the hub servers to take the user out.
            await EmitAsync(new UserBannedEvent { RoomId = RoomId, UserId = userId });
        }

        await TellSalesOfBanAsync(userId, banned);

        LogModeration(logger, RoomId, actor.UserId, banned ? "ban" : "unban", userId);
        return _moderation.View();
    }

    async Task<ModerationView> ILiveRoomGrain.SetSlowModeAsync(Actor actor, int seconds)
    {
        _moderation.RequireStaff(Current, actor);
        await ModerateAsync(() => _moderation.SetSlowMode(seconds));
        return _moderation.View();
    }

    async Task<ModerationView> ILiveRoomGrain.SetBlockedWordsAsync(Actor actor, IReadOnlyList<string> words)
    {
        _moderation.RequireStaff(Current, actor);
        await ModerateAsync(() => _moderation.SetBlockedWords(words));
        return _moderation.View();
    }

    async Task<Room> ILiveRoomGrain.StartAsync(string hostId)
    {
        var current = _lifecycle.RequireHost(state.State.Room, hostId);
        if (_lifecycle.Start(current, time.GetUtcNow()) is not { } room)
        {
            // A repeat (a retry): the directory is told again, in case the first attempt's silo died before it was.
            await ListAsync(current);
            return current;
        }

        state.State.Room = room;
        await WriteOrUndoAsync(() => state.State.Room = current, reserve: 1);

        // Stored, so it is sent (its number reserved by that write), whatever the directory answers next.
        await EmitAsync(new StreamStartedEvent { RoomId = RoomId, Room = room });
        LiveGrainMetrics.RoomStarted();
        EnsureTick();
        LogRoomStarted(logger, RoomId, hostId);
        await ListAsync(room);
        return room;
    }

    async Task<Room> ILiveRoomGrain.EndAsync(string hostId)
    {
        var room = _lifecycle.RequireHost(state.State.Room, hostId);
        if (RoomLifecycle.HasEnded(room))
        {
            // A repeat (a retry): the directory is told again, in case the first attempt's silo died before it was.
            await ListAsync(room);
            return room;
        }

        return await EndRoomAsync(room);
    }

    /// <summary>Ends the room as its host does: its sales end, then the room, <c>StreamEnded</c>, and the directory.</summary>
    private async Task<Room> EndRoomAsync(Room room)
    {
        var sales = _sales.ToArray();
        foreach (var sale in sales)
        {
            await GrainFactory.GetGrainByKey<IFlashSaleGrain>(sale.Id).EndForRoomAsync();
        }

        _sales.Clear();
        FlushChat();
        var live = room;
        room = RoomLifecycle.End(room, time.GetUtcNow());
        state.State.Room = room;

        // Storage out of reach: the room is live again as storage has it (its sales listed: they are over, and the
        // end's retry finds them so, idempotently), and the caller, or the next tick for an idle room, tries again.
        await WriteOrUndoAsync(
            () =>
            {
                state.State.Room = live;
                foreach (var sale in sales)
                {
                    _sales.Add(sale);
                }
            },
            reserve: 1);
        await EmitAsync(new StreamEndedEvent { RoomId = RoomId, Room = room });
        LiveGrainMetrics.RoomEnded();
        LogRoomEnded(logger, RoomId, state.State.Likes);
        await ListAsync(room);
        return room;
    }

    /// <summary>
    /// Tells the directory how the room now stands (called once the room has stored it). The directory is a listing
    /// beside the room, not the room: when it cannot be told (its write failed, its silo died) the room's change still
    /// stands and is answered, and the tick tells the directory again, once per <c>Rooms:PersistInterval</c>, until it
    /// succeeds; a room whose activation died first is told again by a repeat of the call or by the open-room sweep.
    /// </summary>
    private async Task ListAsync(Room room)
    {
        _unlisted = room;
        try
        {
            await GrainFactory.GetGrain<IRoomDirectoryGrain>(0).UpsertAsync(room);
            if (ReferenceEquals(_unlisted, room))
            {
                _unlisted = null;
            }
        }
        catch (Exception e) when (e is not LiveException)
        {
            _listAgainAt = time.GetUtcNow() + options.Value.PersistInterval;
            EnsureTick();
            LiveGrainMetrics.DirectoryBehind();
            LogListFailed(logger, e, RoomId, room.Status);
        }
    }

    async Task<RoomSnapshot> ILiveRoomGrain.PinAsync(string hostId, string productId)
    {
        _lifecycle.RequireLiveHost(state.State.Room, hostId);
        Ids.Require(productId, "productId");
        var product = await GrainFactory.GetGrainByKey<IProductGrain>(productId).OfferAsync(hostId, isOperator: false, RoomId);
        var pinned = state.State.PinnedProduct;
        state.State.PinnedProduct = product;
        await WriteOrUndoAsync(() => state.State.PinnedProduct = pinned, reserve: 1);
        await EmitAsync(new ProductPinnedEvent { RoomId = RoomId, Product = product });
        return Snapshot();
    }

    async Task<RoomSnapshot> ILiveRoomGrain.UnpinAsync(string hostId)
    {
        _lifecycle.RequireLiveHost(state.State.Room, hostId);
        if (state.State.PinnedProduct is { } pinned)
        {
            state.State.PinnedProduct = null;
            await WriteOrUndoAsync(() => state.State.PinnedProduct = pinned, reserve: 1);
            await EmitAsync(new ProductUnpinnedEvent { RoomId = RoomId });
        }

        return Snapshot();
    }

    async Task<FlashSale> ILiveRoomGrain.StartFlashSaleAsync(string hostId, NewFlashSale input, string saleId)
    {
        _lifecycle.RequireLiveHost(state.State.Room, hostId);
        ArgumentNullException.ThrowIfNull(input);
        Ids.Require(input.ProductId, "productId");
        Ids.Require(saleId, "saleId");
        if (_sales.Find(saleId) is { } listed)
        {
            // The hub sent this call again (its first attempt's answer was lost with a silo): the sale started once.
            return listed;
        }

        if (_sales.Count >= options.Value.MaxOpenSales && !await StartedHereAsync(saleId))
        {
            throw LiveException.Conflict($"a room has at most {options.Value.MaxOpenSales} open flash sales; end one first");
        }

        var product = await GrainFactory.GetGrainByKey<IProductGrain>(input.ProductId!).OfferAsync(hostId, isOperator: false, pinnedInRoomId: null);
        var sale = await GrainFactory.GetGrainByKey<IFlashSaleGrain>(saleId).StartAsync(hostId, RoomId, product, input, _moderation.BannedUsers());
        if (sale.Status != SaleStatus.Active)
        {
            // Started by a first attempt whose room activation died before listing it, and over since: nothing to add.
            return sale;
        }

        // Taken back when storage is out of reach: the host's retry finds the started sale and lists it then.
        _sales.Add(sale);
        await WriteOrUndoAsync(() => _sales.Remove(sale.Id), reserve: 1);
        await EmitAsync(new FlashSaleStartedEvent { RoomId = RoomId, Sale = sale });
        return sale;
    }

    /// <summary>
    /// Whether <paramref name="saleId"/> was already started for this room (a first attempt whose listing was taken
    /// back when the room's write failed): its retry lists it, even with the room full. Asked only at the bound.
    /// </summary>
    private async Task<bool> StartedHereAsync(string saleId)
    {
        try
        {
            return (await GrainFactory.GetGrainByKey<IFlashSaleGrain>(saleId).GetAsync()).RoomId == RoomId;
        }
        catch (LiveException e) when (e.Code == ErrorCodes.NotFound)
        {
            return false;
        }
    }

    async Task<ChatMessage> ILiveRoomGrain.SendChatAsync(Caller caller, string text, string messageId)
    {
        Ids.Require(messageId, "messageId");
        if (_sentChat.TryGet(messageId, caller.UserId, out var sent))
        {
            // The hub sent this call again (its first attempt's answer was lost with a silo): the message went once.
            return sent;
        }

        var room = _lifecycle.RequireOpen(state.State.Room);
        var now = time.GetUtcNow();
        var clean = _moderation.ApproveChat(room, caller.UserId, text, now);
        if (_sequence.MustReserve(1))
        {
            // Nothing was numbered or stored for this message yet: storage out of reach answers unavailable, and the
            // message's slow-mode wait is taken back with it so that the user's retry is not refused as too soon.
            await WriteOrUndoAsync(() => _moderation.ForgetChat(caller.UserId, now), reserve: 1);
        }

        var message = new ChatMessage
        {
            Id = messageId,
            RoomId = RoomId,
            UserId = caller.UserId,
            DisplayName = caller.DisplayName,
            Text = clean,
            SentAt = now,
        };

        _dirty = true;
        _sentChat.Add(messageId, caller.UserId, message, now);
        if (_chat.Add(message with { Seq = _sequence.Next() }, now))
        {
            FlushChat();
        }
        else
        {
            ScheduleChat(now);
        }

        return message;
    }

    Task<long> ILiveRoomGrain.LikeAsync(Caller caller, int count, string likeId)
    {
        Ids.Require(likeId, "likeId");
        if (_likes.TryGet(likeId, caller.UserId, out var total))
        {
            // Sent again by the hub: these likes were added once; the answer is the first one's.
            return Task.FromResult(total);
        }

        _lifecycle.RequireOpen(state.State.Room);
        _moderation.RequireNotBanned(caller.UserId);
        if (count < 1 || count > options.Value.MaxLikesPerCall)
        {
            throw LiveException.Invalid($"count must be 1 to {options.Value.MaxLikesPerCall}");
        }

        state.State.Likes += count;
        _likes.Add(likeId, caller.UserId, state.State.Likes, time.GetUtcNow());
        _dirty = true;
        return Task.FromResult(state.State.Likes);
    }

    Task ILiveRoomGrain.ReportViewersAsync(string hubId, int viewers)
    {
        if (state.State.Room is not null)
        {
            _counters.ReportViewers(hubId, viewers, time.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    Task ILiveRoomGrain.SaleChangedAsync(FlashSale sale)
    {
        if (_sales.ApplyReport(sale, time.GetUtcNow()))
        {
            _dirty = true;
            if (_sales.OwesEnds)
            {
                // The sale's own FlashSaleEnded is on its way; the tick sends one itself if it never comes.
                EnsureTick();
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// A ban reaches the room's offers by the room telling its open sales (and handing the banned set to a sale it
    /// opens), not by each purchase asking the room: bans are rare and purchases come in rushes, so the flash sale,
    /// the hot path, checks a set it holds and costs no extra grain call. Told on every ban call, changed or not, so a
    /// ban retried after a failed call here reaches every sale; the room is not reentrant, so no sale opens meanwhile.
    /// </summary>
    private async Task TellSalesOfBanAsync(string userId, bool banned)
    {
        foreach (var sale in _sales.ToArray())
        {
            await GrainFactory.GetGrainByKey<IFlashSaleGrain>(sale.Id).SetBuyerBannedAsync(userId, banned);
        }
    }

    async Task ILiveRoomGrain.ProductChangedAsync(Product product)
    {
        if (state.State.Room is not { Status: RoomStatus.Live } || state.State.PinnedProduct?.Id != product.Id
            || state.State.PinnedProduct == product)
        {
            return;
        }

        // Re-sent as ProductPinned: a v1 client re-renders the pin it shows, badge included, without a new event kind.
        var pinned = state.State.PinnedProduct;
        state.State.PinnedProduct = product;
        await WriteOrUndoAsync(() => state.State.PinnedProduct = pinned, reserve: 1);
        await EmitAsync(new ProductPinnedEvent { RoomId = RoomId, Product = product });
    }

    /// <param name="positioned">
    /// A snapshot at a point of the room's stream (<c>JoinRoom</c>, <c>ResumeRoom</c>): with the epoch and the seq of
    /// the last event it reflects (chat still waiting for its batch included: it is numbered and shown). Others (REST)
    /// carry neither.
    /// </param>
    private RoomSnapshot Snapshot(bool positioned = false) => new()
    {
        Room = Current,
        PinnedProduct = state.State.PinnedProduct,
        ActiveSales = _sales.ToArray(),
        RecentChat = state.State.RecentChat.ToArray(),
        Viewers = _counters.Viewers(time.GetUtcNow()),
        Likes = state.State.Likes,
        Epoch = positioned ? _sequence.Epoch : null,
        Seq = positioned ? _sequence.Last : null,
    };

    /// <summary>Sends the pending chat, numbered as it was accepted.</summary>
    private void FlushChat()
    {
        var now = time.GetUtcNow();
        if (_chat.Flush(now) is { } batch)
        {
            Send(batch);
            LiveGrainMetrics.ChatBatch(batch.Messages, now);
        }
    }

    /// <summary>
    /// The one way an event other than chat leaves the room for its viewers: after the chat numbered before it (so the
    /// room sends its numbers in order), numbered, kept in the retained window and handed to the publisher in one step,
    /// so the stream has no hole and no event is sent that a later snapshot or resume does not account for.
    /// </summary>
    private async Task EmitAsync(RoomEvent roomEvent)
    {
        if (!roomEvent.IsSequenced)
        {
            events.Publish(roomEvent);
            return;
        }

        FlushChat();
        await ReserveAsync(1);
        Send(roomEvent with { Seq = _sequence.Next() });
    }

    private void Send(RoomEvent numbered)
    {
        var now = time.GetUtcNow();
        _retained.Append(numbered, now);
        _idle.Active(now);
        events.Publish(numbered);
    }

    /// <summary>
    /// Stores a higher ceiling first when <paramref name="count"/> more numbers would pass the stored one. Called to
    /// send an event whose change is already stored (the change's own write reserves its number, so this writes only
    /// when something used the block up meanwhile): a failure breaks the activation, whose next one starts a new epoch,
    /// rather than answer a stored change whose event its viewers would never get.
    /// </summary>
    private async Task ReserveAsync(int count)
    {
        if (_sequence.MustReserve(count))
        {
            await WriteAsync(reserve: count);
        }
    }

    /// <summary>Writes the state, the sequence's ceiling kept ahead of its use (<see cref="RoomSequence"/>).</summary>
    /// <param name="reserve">Event numbers about to be used that the stored ceiling must cover.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <remarks>
    /// One write at a time: a write-behind in flight goes first (the version this write carries is the one it stores).
    /// The state is taken when the write starts, so what changes while it is in flight is left dirty for the next one.
    /// </remarks>
    private async Task WriteAsync(int reserve = 0, CancellationToken cancellationToken = default)
    {
        await _behind;
        await StoreAsync(reserve, WriteKind.Foreground, cancellationToken);
    }

    /// <summary>
    /// Writes a change a caller waits for, which <paramref name="undo"/> takes back from memory. When storage is out of
    /// reach and the write was not sent (no Redis connection, Redis loading, SQLite busy:
    /// <see cref="StateWriter.WriteUnlessUnsentAsync"/>) the change is undone and the caller answered <c>unavailable</c>,
    /// to retry; the activation keeps serving, so the chat and likes it holds to write behind are neither lost nor sent
    /// again in a new epoch, which breaking it would do to every viewer. A write that may have landed (a timeout) and
    /// any other failure break the activation, which reloads what storage has. A change that sends an event reserves
    /// its number in the same write (<paramref name="reserve"/>), so that once it is stored its event goes out.
    /// </summary>
    private async Task WriteOrUndoAsync(Action undo, int reserve = 0)
    {
        await _behind;
        if (await StoreAsync(reserve, WriteKind.Undoable) is { } unreachable)
        {
            undo();
            LiveGrainMetrics.WriteUndone();
            LogWriteUndone(logger, RoomId, unreachable.GetType().Name);
            throw new StorageUnavailableException($"room {RoomId} could not store the change: storage is out of reach ({unreachable.GetType().Name}); retry");
        }
    }

    /// <summary>
    /// Applies a moderation change (one that answers false changed nothing) and stores it, or takes it back whole
    /// (<see cref="RoomModerationRules.Copy"/>) when storage was out of reach (<see cref="WriteOrUndoAsync"/>).
    /// </summary>
    private Task ModerateAsync(Action change) => ModerateAsync(() =>
    {
        change();
        return true;
    });

    /// <inheritdoc cref="ModerateAsync(Action)"/>
    private async Task ModerateAsync(Func<bool> change, int reserve = 0)
    {
        var before = _moderation.Copy();
        if (change())
        {
            await WriteOrUndoAsync(() => _moderation.Restore(before), reserve);
        }
    }

    /// <summary>
    /// One write of the state with the sequence's ceiling (every write of the room's). One that may find storage out
    /// of reach (<paramref name="kind"/>: the write-behind's, or <see cref="WriteOrUndoAsync"/>'s when the write was not
    /// sent) answers that failure and leaves the state dirty; any other failed write throws and breaks the activation
    /// (<see cref="StateWriter"/>).
    /// </summary>
    private async Task<Exception?> StoreAsync(int reserve, WriteKind kind, CancellationToken cancellationToken = default)
    {
        var ceiling = _sequence.CeilingToStore(reserve);
        state.State.SequenceCeiling = ceiling;
        _dirty = false;
        Exception? unreachable = null;
        if (kind == WriteKind.Behind)
        {
            unreachable = await Writer.WriteUnlessUnreachableAsync(cancellationToken);
        }
        else if (kind == WriteKind.Undoable)
        {
            unreachable = await Writer.WriteUnlessUnsentAsync(cancellationToken);
        }
        else
        {
            await Writer.WriteAsync(cancellationToken);
        }

        if (unreachable is not null)
        {
            _dirty = true;
            return unreachable;
        }

        _sequence.Stored(ceiling);
        _persistedAt = time.GetUtcNow();
        return null;
    }

    /// <summary>
    /// The tick's write of chat and likes, run beside the room's calls; nobody waits for it, so it logs its failures.
    /// Storage out of reach (a Redis restart, a busy SQLite) leaves the room serving and its stream going on: the state
    /// stays dirty and the tick writes it again one <see cref="LiveRoomOptions.PersistInterval"/> later, so a blip
    /// neither loses the chat answered meanwhile nor starts a new epoch that would send every viewer back to a
    /// snapshot. Any other failure breaks the activation as any failed write does (the next call is refused and
    /// reloads).
    /// </summary>
    private async Task WriteBehindAsync()
    {
        try
        {
            if (await StoreAsync(0, WriteKind.Behind) is { } transient)
            {
                // Again after another interval, not at every tick; one line per outage, not one a second.
                _persistedAt = time.GetUtcNow();
                LiveGrainMetrics.WriteBehindDeferred();
                if (_deferredWrites++ == 0)
                {
                    LogWriteBehindDeferred(logger, RoomId, transient.GetType().Name);
                }

                return;
            }

            if (_deferredWrites > 0)
            {
                LogWriteBehindCaughtUp(logger, RoomId, _deferredWrites);
                _deferredWrites = 0;
            }
        }
        catch (Exception ex)
        {
            LogWriteBehindFailed(logger, ex, RoomId);
        }
    }

    /// <summary>Wakes the room when its pending chat is due (<see cref="ChatBatcher.DueAt"/>), not at the next tick.</summary>
    private void ScheduleChat(DateTimeOffset now)
    {
        if (_chat.DueAt is not { } due)
        {
            return;
        }

        var delay = due > now ? due - now : TimeSpan.Zero;
        if (_chatDue is null)
        {
            _chatDue = this.RegisterGrainTimer(OnChatDueAsync, new GrainTimerCreationOptions
            {
                DueTime = delay,
                Period = Timeout.InfiniteTimeSpan,
                KeepAlive = false,
            });
        }
        else
        {
            _chatDue.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private Task OnChatDueAsync(CancellationToken cancellationToken)
    {
        FlushChat();
        return Task.CompletedTask;
    }

    private void EnsureTick()
    {
        _tick ??= this.RegisterGrainTimer(OnTickAsync, new GrainTimerCreationOptions
        {
            DueTime = options.Value.ChatTick,
            Period = options.Value.ChatTick,

            // Viewer reports keep a watched room active; an unwatched one may go to sleep.
            KeepAlive = false,
        });
    }

    private async Task OnTickAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();

        // Chat has its own wake-up (ScheduleChat); the tick only makes sure none waits past its time.
        if (_chat.DueAt <= now)
        {
            FlushChat();
        }

        if (_counters.LikesUpdate(state.State.Likes, now) is { } likes)
        {
            await EmitAsync(likes);
        }

        if (_counters.ViewersUpdate(now) is { } viewers)
        {
            await EmitAsync(viewers);
        }

        foreach (var progress in _progress.Due(_counters.Viewers(now), now))
        {
            await EmitAsync(progress);
        }

        if (_heartbeat.Due(now, open: Beats(now), viewers: _counters.Viewers(now)))
        {
            // The newest seq sent (chat still waiting for its batch is not: a viewer could not have it yet).
            events.Publish(new RoomHeartbeatEvent { RoomId = RoomId, Epoch = _sequence.Epoch, Last = _retained.Last });
        }

        if (state.State.Room is { Status: RoomStatus.Live } live && _idle.IsDue(now, _counters.Viewers(now)))
        {
            LogIdleRoomEnded(logger, RoomId, options.Value.EndIdleAfter);
            try
            {
                await EndRoomAsync(live);
            }
            catch (StorageUnavailableException) when (state.State.Room is { Status: RoomStatus.Live })
            {
                // The end was taken back and logged (3011): tried again once IdleRoomWatch.RetryAfter has passed, not
                // at every tick of an outage. (An end that was stored and then not taken by the directory does not
                // throw: the tick tells the directory again, ListAsync.)
                _idle.EndFailed(now);
            }
        }

        await WakeOverdueSalesAsync(now);
        foreach (var owed in _sales.EndsOwed(now))
        {
            // The sale reported its end (and left the list) but its FlashSaleEnded never came: its server died with the
            // announcement queued. Sent here, so that no sale ends silently (rarely, a second one if the sale's comes late).
            LogSaleEndAnnouncedByRoom(logger, RoomId, owed.Id);
            _progress.Ended(owed.Id);
            await EmitAsync(new FlashSaleEndedEvent { RoomId = RoomId, Sale = owed });
        }
        if (_unlisted is { } unlisted && now >= _listAgainAt)
        {
            await ListAsync(unlisted);
        }

        if (_dirty && now - _persistedAt >= options.Value.PersistInterval && _behind.IsCompleted)
        {
            // Chat and likes only (commerce is written before it answers), so nothing waits for this write: awaited
            // here, it held every SendChat of the room for the length of a commit, once a second (docs/PERF.md §22).
            _behind = WriteBehindAsync();
        }

        if (state.State.Room is { Status: RoomStatus.Ended } && !Beats(now) && !_sales.OwesEnds && !_chat.HasPending && !_dirty && _progress.Held == 0 && _unlisted is null)
        {
            _tick?.Dispose();
            _tick = null;
        }
    }

    /// <summary>
    /// A sale ends by its own timer; if its silo died, nothing would wake it, so the room asks overdue sales for
    /// their state, which reactivates them and lets them end and announce it. A sale found ended that the room still
    /// lists is announced by the room itself.
    /// </summary>
    private async Task WakeOverdueSalesAsync(DateTimeOffset now)
    {
        foreach (var sale in _sales.OverdueToCheck(now))
        {
            try
            {
                var current = await GrainFactory.GetGrainByKey<IFlashSaleGrain>(sale.Id).GetAsync();

                // Woken by this check, an overdue sale ends and announces it itself (its end then takes it out of the
                // list). One still listed as ended at the next check never will: its server died between writing the
                // end and telling the room. The viewers are told now, so a sale never ends silently; rarely, the
                // sale's own announcement still comes, a second FlashSaleEnded of the same sale.
                if (current.Status != SaleStatus.Active && _sales.EndedAgain(sale.Id) && _sales.Apply(current))
                {
                    _dirty = true;
                    _progress.Ended(current.Id);
                    await EmitAsync(new FlashSaleEndedEvent { RoomId = RoomId, Sale = current });
                }
            }
            catch (Exception ex)
            {
                LogSaleCheckFailed(logger, ex, sale.Id, RoomId);
            }
        }
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Room {RoomId} is live (host {HostId})")]
    private static partial void LogRoomStarted(ILogger logger, string roomId, string hostId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Room {RoomId} ended with {Likes} likes")]
    private static partial void LogRoomEnded(ILogger logger, string roomId, long likes);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Room {RoomId} had no viewer and no event for {IdleFor}: ending it (Rooms:EndIdleAfter)")]
    private static partial void LogIdleRoomEnded(ILogger logger, string roomId, TimeSpan idleFor);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Room {RoomId}: {ActorId} did {Action} on {Target}")]
    private static partial void LogModeration(ILogger logger, string roomId, string actorId, string action, string target);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "Room {RoomId} could not write its chat and likes behind; it reloads at its next call")]
    private static partial void LogWriteBehindFailed(ILogger logger, Exception exception, string roomId);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Warning, Message = "Room {RoomId} could not write its chat and likes behind ({Error}): storage out of reach, it writes them again one write-behind interval later")]
    private static partial void LogWriteBehindDeferred(ILogger logger, string roomId, string error);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Room {RoomId} wrote its chat and likes behind again after {Attempts} attempts that found storage out of reach")]
    private static partial void LogWriteBehindCaughtUp(ILogger logger, string roomId, int attempts);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Warning, Message = "Room {RoomId} could not store a change ({Error}: storage out of reach); the change is taken back and its caller answered unavailable, the room serves on")]
    private static partial void LogWriteUndone(ILogger logger, string roomId, string error);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Room {RoomId} could not write its last chat and likes on deactivation ({Error})")]
    private static partial void LogFinalWriteFailed(ILogger logger, string roomId, string error);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "{EventType} of room {EventRoomId} handed to room {RoomId}: not sent")]
    private static partial void LogForeignEvent(ILogger logger, string eventType, string eventRoomId, string roomId);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "Room {RoomId} is {Status} but the room directory could not be told; the room's tick tells it again")]
    private static partial void LogListFailed(ILogger logger, Exception exception, string roomId, string status);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Warning, Message = "Room {RoomId} starts epoch {Epoch}: its earlier activation handed over no window (it died, or could not write it); viewers resume from a snapshot")]
    private static partial void LogEpochLost(ILogger logger, string roomId, string epoch);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "Room {RoomId} sent FlashSaleEnded of sale {SaleId} itself: the sale reported its end but its own announcement never came")]
    private static partial void LogSaleEndAnnouncedByRoom(ILogger logger, string roomId, string saleId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Checking overdue sale {SaleId} of room {RoomId} failed")]
    private static partial void LogSaleCheckFailed(ILogger logger, Exception exception, string saleId, string roomId);

    /// <summary>How a write's failure is taken (<see cref="StoreAsync"/>).</summary>
    private enum WriteKind
    {
        /// <summary>Any failure breaks the activation.</summary>
        Foreground,

        /// <summary>The tick's write of chat and likes: storage out of reach is written again later.</summary>
        Behind,

        /// <summary>A change taken back when storage was out of reach and the write was not sent.</summary>
        Undoable,
    }
}
