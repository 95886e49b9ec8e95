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
/// </summary>
internal sealed partial class LiveRoomGrain(
    [PersistentState(StateNames.Room, StorageNames.Live)] IPersistentState<LiveRoomState> state,
    IRoomEventSink events,
    TimeProvider time,
    IOptions<LiveRoomOptions> options,
    ILogger<LiveRoomGrain> logger) : Grain, ILiveRoomGrain
{
    private static readonly TimeSpan SaleEndGrace = TimeSpan.FromSeconds(2);

    private readonly List<ChatMessage> _pendingChat = [];
    private readonly Dictionary<string, DateTimeOffset> _lastChatAt = [];
    private readonly Dictionary<string, (int Viewers, DateTimeOffset At)> _viewerReports = [];
    private long _publishedLikes;
    private long _publishedViewers;
    private DateTimeOffset _likesPublishedAt;
    private DateTimeOffset _viewersPublishedAt;
    private DateTimeOffset _persistedAt;
    private DateTimeOffset _salesCheckedAt;
    private DateTimeOffset _chatFlushedAt = DateTimeOffset.MinValue;
    private bool _dirty;
    private IGrainTimer? _tick;

    private string RoomId => this.GetPrimaryKeyString();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _publishedLikes = state.State.Likes;
        if (state.State.Room is { Status: not RoomStatus.Ended })
        {
            EnsureTick();
        }

        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        FlushChat();
        if (!_dirty)
        {
            return;
        }

        try
        {
            await state.WriteStateAsync(cancellationToken);
        }
        catch (Exception ex)
        {
            // At shutdown the storage may already be gone (memory storage); what is lost is chat and likes of the
            // last write-behind interval, never commerce. One line, not a stack trace per room.
            LogFinalWriteFailed(logger, RoomId, ex.GetType().Name);
        }
    }

    async Task<Room> ILiveRoomGrain.CreateAsync(string hostId, NewRoom input)
    {
        if (state.State.Room is not null)
        {
            throw LiveException.Conflict($"room {RoomId} already exists");
        }

        ArgumentNullException.ThrowIfNull(input);
        var room = new Room
        {
            Id = RoomId,
            HostId = hostId,
            Title = TextRules.Require(input.Title, "title", 120),
            Description = TextRules.Optional(input.Description, "description", 2000, allowNewLines: true),
            Status = RoomStatus.Scheduled,
            CreatedAt = time.GetUtcNow(),
        };
        state.State.Room = room;
        await WriteAsync();
        await GrainFactory.GetGrain<IRoomDirectoryGrain>(0).UpsertAsync(room);
        EnsureTick();
        return room;
    }

    Task<Room> ILiveRoomGrain.GetRoomAsync() => Task.FromResult(Current);

    Task<RoomSnapshot> ILiveRoomGrain.GetSnapshotAsync() => Task.FromResult(Snapshot());

    Task<RoomSnapshot> ILiveRoomGrain.JoinAsync(string? userId)
    {
        _ = Current;
        if (userId is not null && state.State.Moderation.Banned.Contains(userId))
        {
            throw LiveException.Forbidden($"you are banned from room {RoomId}");
        }

        return Task.FromResult(Snapshot());
    }

    async Task<ModerationView> ILiveRoomGrain.AssignModeratorAsync(string hostId, string userId, bool assigned)
    {
        RequireHost(hostId);
        Ids.Require(userId, "userId");
        var changed = assigned ? state.State.Moderation.Moderators.Add(userId) : state.State.Moderation.Moderators.Remove(userId);
        if (changed)
        {
            await WriteAsync();
        }

        return Moderation();
    }

    Task<ModerationView> ILiveRoomGrain.GetModerationAsync(Actor actor)
    {
        RequireStaff(actor);
        return Task.FromResult(Moderation());
    }

    async Task<bool> ILiveRoomGrain.DeleteChatAsync(Actor actor, string messageId)
    {
        RequireStaff(actor);
        Ids.Require(messageId, "messageId");
        var removed = state.State.RecentChat.RemoveAll(m => m.Id == messageId) > 0;
        var pending = _pendingChat.RemoveAll(m => m.Id == messageId) > 0;
        if (!removed && !pending)
        {
            return false;
        }

        await WriteAsync();
        if (!pending)
        {
            events.Publish(new ChatDeletedEvent { RoomId = RoomId, MessageId = messageId });
        }

        LogModeration(logger, RoomId, actor.UserId, "delete-chat", messageId);
        return true;
    }

    async Task<ModerationView> ILiveRoomGrain.MuteAsync(Actor actor, string userId, int seconds)
    {
        RequireStaff(actor);
        RequireTarget(userId);
        if (seconds < 0 || seconds > 7 * 24 * 3600)
        {
            throw LiveException.Invalid("durationSeconds must be 0 (unmute) to 604800");
        }

        var muted = state.State.Moderation.MutedUntil;
        if (seconds == 0)
        {
            muted.Remove(userId);
        }
        else
        {
            muted[userId] = time.GetUtcNow().AddSeconds(seconds);
        }

        await WriteAsync();
        LogModeration(logger, RoomId, actor.UserId, seconds == 0 ? "unmute" : "mute", userId);
        return Moderation();
    }

    async Task<ModerationView> ILiveRoomGrain.BanAsync(Actor actor, string userId, bool banned)
    {
        RequireStaff(actor);
        RequireTarget(userId);
        var changed = banned ? state.State.Moderation.Banned.Add(userId) : state.State.Moderation.Banned.Remove(userId);
        if (changed)
        {
            await WriteAsync();
            if (banned)
            {
                events.Publish(new UserBannedEvent { RoomId = RoomId, UserId = userId });
            }
        }

        LogModeration(logger, RoomId, actor.UserId, banned ? "ban" : "unban", userId);
        return Moderation();
    }

    async Task<ModerationView> ILiveRoomGrain.SetSlowModeAsync(Actor actor, int seconds)
    {
        RequireStaff(actor);
        if (seconds < 0 || seconds > 3600)
        {
            throw LiveException.Invalid("seconds must be 0 (off) to 3600");
        }

        state.State.Moderation.SlowModeSeconds = seconds;
        await WriteAsync();
        return Moderation();
    }

    async Task<ModerationView> ILiveRoomGrain.SetBlockedWordsAsync(Actor actor, IReadOnlyList<string> words)
    {
        RequireStaff(actor);
        if (words is null || words.Count > 500)
        {
            throw LiveException.Invalid("words must be a list of at most 500 words");
        }

        state.State.Moderation.BlockedWords = words
            .Select(w => TextRules.Require(w, "word", 50))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        await WriteAsync();
        return Moderation();
    }

    async Task<Room> ILiveRoomGrain.StartAsync(string hostId)
    {
        var room = RequireHost(hostId);
        switch (room.Status)
        {
            case RoomStatus.Live:
                return room;
            case RoomStatus.Ended:
                throw LiveException.Conflict($"room {RoomId} has ended and cannot start again");
        }

        room = room with { Status = RoomStatus.Live, StartedAt = time.GetUtcNow() };
        state.State.Room = room;
        await WriteAsync();
        await GrainFactory.GetGrain<IRoomDirectoryGrain>(0).UpsertAsync(room);
        events.Publish(new StreamStartedEvent { RoomId = RoomId, Room = room });
        LiveGrainMetrics.RoomStarted();
        EnsureTick();
        LogRoomStarted(logger, RoomId, hostId);
        return room;
    }

    async Task<Room> ILiveRoomGrain.EndAsync(string hostId)
    {
        var room = RequireHost(hostId);
        if (room.Status == RoomStatus.Ended)
        {
            return room;
        }

        foreach (var sale in state.State.ActiveSales.ToArray())
        {
            await GrainFactory.GetGrain<IFlashSaleGrain>(sale.Id).EndForRoomAsync();
        }

        state.State.ActiveSales.Clear();
        FlushChat();
        room = room with { Status = RoomStatus.Ended, EndedAt = time.GetUtcNow() };
        state.State.Room = room;
        await WriteAsync();
        await GrainFactory.GetGrain<IRoomDirectoryGrain>(0).UpsertAsync(room);
        events.Publish(new StreamEndedEvent { RoomId = RoomId, Room = room });
        LiveGrainMetrics.RoomEnded();
        LogRoomEnded(logger, RoomId, state.State.Likes);
        return room;
    }

    async Task<RoomSnapshot> ILiveRoomGrain.PinAsync(string hostId, string productId)
    {
        RequireLiveHost(hostId);
        Ids.Require(productId, "productId");
        var product = await GrainFactory.GetGrain<IProductGrain>(productId).GetAsync();
        state.State.PinnedProduct = product;
        await WriteAsync();
        events.Publish(new ProductPinnedEvent { RoomId = RoomId, Product = product });
        return Snapshot();
    }

    async Task<RoomSnapshot> ILiveRoomGrain.UnpinAsync(string hostId)
    {
        RequireLiveHost(hostId);
        if (state.State.PinnedProduct is not null)
        {
            state.State.PinnedProduct = null;
            await WriteAsync();
            events.Publish(new ProductUnpinnedEvent { RoomId = RoomId });
        }

        return Snapshot();
    }

    async Task<FlashSale> ILiveRoomGrain.StartFlashSaleAsync(string hostId, NewFlashSale input)
    {
        RequireLiveHost(hostId);
        ArgumentNullException.ThrowIfNull(input);
        Ids.Require(input.ProductId, "productId");
        var product = await GrainFactory.GetGrain<IProductGrain>(input.ProductId!).GetAsync();
        var saleId = Ids.New("sale");
        var sale = await GrainFactory.GetGrain<IFlashSaleGrain>(saleId).StartAsync(hostId, RoomId, product, input);
        state.State.ActiveSales.Add(sale);
        await WriteAsync();
        events.Publish(new FlashSaleStartedEvent { RoomId = RoomId, Sale = sale });
        return sale;
    }

    Task<ChatMessage> ILiveRoomGrain.SendChatAsync(Caller caller, string text)
    {
        RequireOpen();
        var now = time.GetUtcNow();
        RequireNotSilenced(caller.UserId, now);
        var clean = TextRules.Require(text, "text", 500);
        var moderation = state.State.Moderation;
        if (moderation.BlockedWords.Find(w => clean.Contains(w, StringComparison.OrdinalIgnoreCase)) is not null)
        {
            throw LiveException.Invalid("the message contains a word this room does not allow");
        }

        if (moderation.SlowModeSeconds > 0 && !IsStaff(caller.UserId))
        {
            if (_lastChatAt.TryGetValue(caller.UserId, out var last) && now - last < TimeSpan.FromSeconds(moderation.SlowModeSeconds))
            {
                throw LiveException.RateLimited($"slow mode: one message every {moderation.SlowModeSeconds} s");
            }

            _lastChatAt[caller.UserId] = now;
        }

        var message = new ChatMessage
        {
            Id = Ids.New("msg"),
            RoomId = RoomId,
            UserId = caller.UserId,
            DisplayName = caller.DisplayName,
            Text = clean,
            SentAt = now,
        };

        var recent = state.State.RecentChat;
        recent.Add(message);
        if (recent.Count > options.Value.RecentChatSize)
        {
            recent.RemoveRange(0, recent.Count - options.Value.RecentChatSize);
        }

        _pendingChat.Add(message);
        _dirty = true;

        // Leading edge: in a room that sent no batch during the last tick, a message goes out at once; messages that
        // follow within the tick wait for it. A quiet room pays no batching delay, a busy one still sends at most one
        // ChatBatch per tick.
        if (now - _chatFlushedAt >= options.Value.ChatTick)
        {
            FlushChat();
        }

        return Task.FromResult(message);
    }

    Task<long> ILiveRoomGrain.LikeAsync(Caller caller, int count)
    {
        RequireOpen();
        if (state.State.Moderation.Banned.Contains(caller.UserId))
        {
            throw LiveException.Forbidden($"you are banned from room {RoomId}");
        }

        if (count < 1 || count > options.Value.MaxLikesPerCall)
        {
            throw LiveException.Invalid($"count must be 1 to {options.Value.MaxLikesPerCall}");
        }

        state.State.Likes += count;
        _dirty = true;
        return Task.FromResult(state.State.Likes);
    }

    Task ILiveRoomGrain.ReportViewersAsync(string hubId, int viewers)
    {
        if (state.State.Room is not null)
        {
            _viewerReports[hubId] = (Math.Max(0, viewers), time.GetUtcNow());
        }

        return Task.CompletedTask;
    }

    Task ILiveRoomGrain.SaleChangedAsync(FlashSale sale)
    {
        var sales = state.State.ActiveSales;
        var index = sales.FindIndex(s => s.Id == sale.Id);
        if (sale.Status == SaleStatus.Active)
        {
            if (index >= 0)
            {
                sales[index] = sale;
                _dirty = true;
            }
        }
        else if (index >= 0)
        {
            sales.RemoveAt(index);
            _dirty = true;
        }

        return Task.CompletedTask;
    }

    private bool IsStaff(string userId) =>
        state.State.Room?.HostId == userId || state.State.Moderation.Moderators.Contains(userId);

    /// <summary>The host, or a user with the moderator role whom the host assigned to this room.</summary>
    private void RequireStaff(Actor actor)
    {
        var room = Current;
        if (actor.UserId != room.HostId && !(actor.IsModerator && state.State.Moderation.Moderators.Contains(actor.UserId)))
        {
            throw LiveException.Forbidden($"only the host or a moderator of room {RoomId} may do that");
        }
    }

    private void RequireTarget(string userId)
    {
        Ids.Require(userId, "userId");
        if (userId == Current.HostId)
        {
            throw LiveException.Invalid("the host cannot be muted or banned");
        }
    }

    private void RequireNotSilenced(string userId, DateTimeOffset now)
    {
        var moderation = state.State.Moderation;
        if (moderation.Banned.Contains(userId))
        {
            throw LiveException.Forbidden($"you are banned from room {RoomId}");
        }

        if (moderation.MutedUntil.TryGetValue(userId, out var until))
        {
            if (until > now)
            {
                throw LiveException.Forbidden($"you are muted in room {RoomId} until {until:O}");
            }

            moderation.MutedUntil.Remove(userId);
        }
    }

    private ModerationView Moderation()
    {
        var m = state.State.Moderation;
        return new ModerationView
        {
            RoomId = RoomId,
            Moderators = m.Moderators.Order(StringComparer.Ordinal).ToArray(),
            MutedUntil = new Dictionary<string, DateTimeOffset>(m.MutedUntil),
            Banned = m.Banned.Order(StringComparer.Ordinal).ToArray(),
            SlowModeSeconds = m.SlowModeSeconds,
            BlockedWords = m.BlockedWords.ToArray(),
        };
    }

    private Room Current => state.State.Room ?? throw LiveException.NotFound($"room {RoomId} not found");

    private Room RequireHost(string hostId)
    {
        var room = Current;
        if (room.HostId != hostId)
        {
            throw LiveException.Forbidden($"only the host of room {RoomId} may do that");
        }

        return room;
    }

    private void RequireLiveHost(string hostId)
    {
        if (RequireHost(hostId).Status != RoomStatus.Live)
        {
            throw LiveException.Conflict($"room {RoomId} is not live");
        }
    }

    /// <summary>Chat and likes are open before the show and during it, not after.</summary>
    private void RequireOpen()
    {
        if (Current.Status == RoomStatus.Ended)
        {
            throw LiveException.Conflict($"room {RoomId} has ended");
        }
    }

    private RoomSnapshot Snapshot() => new()
    {
        Room = Current,
        PinnedProduct = state.State.PinnedProduct,
        ActiveSales = state.State.ActiveSales.ToArray(),
        RecentChat = state.State.RecentChat.ToArray(),
        Viewers = ViewerTotal(time.GetUtcNow()),
        Likes = state.State.Likes,
    };

    private long ViewerTotal(DateTimeOffset now)
    {
        var cutoff = now - options.Value.ViewerReportExpiry;
        long total = 0;
        foreach (var (viewers, at) in _viewerReports.Values)
        {
            if (at >= cutoff)
            {
                total += viewers;
            }
        }

        return total;
    }

    private void FlushChat()
    {
        if (_pendingChat.Count == 0)
        {
            return;
        }

        _chatFlushedAt = time.GetUtcNow();
        events.Publish(new ChatBatchEvent { RoomId = RoomId, Messages = _pendingChat.ToArray() });
        LiveGrainMetrics.ChatBatch(_pendingChat.Count);
        _pendingChat.Clear();
    }

    private async Task WriteAsync()
    {
        await state.WriteStateAsync();
        _dirty = false;
        _persistedAt = time.GetUtcNow();
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
        var settings = options.Value;
        FlushChat();

        if (state.State.Likes != _publishedLikes && now - _likesPublishedAt >= settings.LikesInterval)
        {
            _publishedLikes = state.State.Likes;
            _likesPublishedAt = now;
            events.Publish(new LikesUpdatedEvent { RoomId = RoomId, Likes = _publishedLikes });
        }

        var viewers = ViewerTotal(now);
        if (viewers != _publishedViewers && now - _viewersPublishedAt >= settings.ViewersInterval)
        {
            _publishedViewers = viewers;
            _viewersPublishedAt = now;
            events.Publish(new ViewerCountEvent { RoomId = RoomId, Viewers = viewers });
        }

        if (now - _salesCheckedAt >= SaleEndGrace)
        {
            _salesCheckedAt = now;
            await WakeOverdueSalesAsync(now);
        }

        if (_dirty && now - _persistedAt >= settings.PersistInterval)
        {
            await WriteAsync();
        }

        if (state.State.Room is { Status: RoomStatus.Ended } && _pendingChat.Count == 0 && !_dirty)
        {
            _tick?.Dispose();
            _tick = null;
        }
    }

    /// <summary>
    /// A sale ends by its own timer; if its silo died, nothing would wake it, so the room asks overdue sales for
    /// their state, which reactivates them and lets them end and announce it.
    /// </summary>
    private async Task WakeOverdueSalesAsync(DateTimeOffset now)
    {
        foreach (var sale in state.State.ActiveSales.ToArray())
        {
            if (sale.EndsAt + SaleEndGrace > now)
            {
                continue;
            }

            try
            {
                var current = await GrainFactory.GetGrain<IFlashSaleGrain>(sale.Id).GetAsync();
                if (current.Status != SaleStatus.Active)
                {
                    state.State.ActiveSales.RemoveAll(s => s.Id == sale.Id);
                    _dirty = true;
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

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Room {RoomId}: {ActorId} did {Action} on {Target}")]
    private static partial void LogModeration(ILogger logger, string roomId, string actorId, string action, string target);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "Room {RoomId} could not write its last chat and likes on deactivation ({Error})")]
    private static partial void LogFinalWriteFailed(ILogger logger, string roomId, string error);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Checking overdue sale {SaleId} of room {RoomId} failed")]
    private static partial void LogSaleCheckFailed(ILogger logger, Exception exception, string saleId, string roomId);
}
