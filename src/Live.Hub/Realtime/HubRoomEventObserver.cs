using System.Threading.Channels;
using Live.Contracts.Notifications;
using Live.Hub.Moderation;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Realtime;

/// <summary>
/// This hub server's end of the push path. The silo hands it batches of room events; one loop sends each event to the
/// room's group in order (a room group send goes through <c>Delivery.OutboxHubLifetimeManager</c>: behind several
/// hub servers one publish on RedLive's room channel, which every hub server puts in its own viewers' outboxes), and the push is answered only once its events have been handed on: a hub server that dies with a
/// batch unsent never answered it, so the silo pushes it to another hub of the backplane. A batch that fails half way
/// (the backplane unreachable) fails its push, and is pushed again; what was already sent is not sent twice
/// (<see cref="SentSeqs"/>). A full queue refuses the push rather than grow: the silo retries, elsewhere or later. A
/// ban is no group send: <see cref="BanEnforcer"/> takes the user's connections out of the room instead.
/// </summary>
internal sealed class HubRoomEventObserver(
    IHubContext<LiveHub, ILiveClient> hub,
    BanEnforcer bans,
    LiveHubMetrics metrics,
    TimeProvider time,
    ILogger<HubRoomEventObserver> logger) : BackgroundService, IRoomEventObserver
{
    /// <summary>Batches waiting to be sent; the silo's push waits for its batch, so few are ever queued.</summary>
    private const int MaxQueuedBatches = 1024;

    private readonly Channel<PendingBatch> _queue = Channel.CreateBounded<PendingBatch>(
        new BoundedChannelOptions(MaxQueuedBatches) { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly SentSeqs _sent = new();

    public Task OnRoomEventsAsync(IReadOnlyList<RoomEvent> events)
    {
        var batch = new PendingBatch(events);
        if (!_queue.Writer.TryWrite(batch))
        {
            metrics.RoomEventBatchRefused();
            return Task.FromException(new InvalidOperationException($"hub server busy: {MaxQueuedBatches} batches of room events queued"));
        }

        return batch.Sent.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var batch in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    foreach (var roomEvent in batch.Events)
                    {
                        await SendAsync(roomEvent);
                    }

                    batch.Sent.TrySetResult();
                }
                catch (Exception ex)
                {
                    batch.Sent.TrySetException(Answerable(ex));
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Unsent at shutdown: their pushes fail, and the silo gives them to another hub server.
            while (_queue.Reader.TryRead(out var left))
            {
                left.Sent.TrySetCanceled(CancellationToken.None);
            }
        }
    }

    private async Task SendAsync(RoomEvent roomEvent)
    {
        if (roomEvent is UserBannedEvent banned)
        {
            await bans.EnforceAsync(banned);
            return;
        }

        if (_sent.Unsent(roomEvent) is not { } unsent)
        {
            metrics.RoomEventDuplicate();
            return;
        }

        try
        {
            await RoomEventWire.SendAsync(hub.Clients.Group(RoomGroups.Name(unsent.RoomId)), unsent, time.GetUtcNow());
        }
        catch (Exception ex)
        {
            metrics.RoomEventSendFailed();
            RealtimeLog.SendFailed(logger, ex, unsent.GetType().Name, unsent.RoomId);
            throw;
        }

        _sent.Sent(unsent);
        metrics.RoomEventSent(unsent);
    }

    /// <summary>
    /// The push's failure as the silo can receive it: a backplane client's exception (StackExchange.Redis'
    /// <c>RedisConnectionException</c> while Redis is down) has no Orleans codec, and the silo would log a codec error and
    /// wait out its call timeout instead of pushing again at once.
    /// </summary>
    internal static Exception Answerable(Exception failure) => failure switch
    {
        InvalidOperationException { InnerException: null } or TimeoutException { InnerException: null } or OperationCanceledException => failure,
        _ => new InvalidOperationException($"hub server could not send room events: {failure.GetType().Name}: {failure.Message}"),
    };

    private sealed class PendingBatch(IReadOnlyList<RoomEvent> events)
    {
        public IReadOnlyList<RoomEvent> Events { get; } = events;

        public TaskCompletionSource Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
