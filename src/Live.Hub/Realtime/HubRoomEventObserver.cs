using System.Threading.Channels;
using Live.Contracts.Notifications;
using Live.Hub.Moderation;
using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Realtime;

/// <summary>
/// This hub server's end of the push path. The silo hands it room events; it queues them and answers at once, so
/// the silo's notifier never waits on fan-out (a slow viewer's full buffer slows this server's sends, not the
/// silo). One loop sends each event to the room's group in order: with the Redis backplane a group send is one
/// publish that every hub server delivers to its own viewers. A ban is no group send: <see cref="BanEnforcer"/> takes
/// the user's connections out of the room instead.
/// </summary>
internal sealed class HubRoomEventObserver(
    IHubContext<LiveHub, ILiveClient> hub,
    BanEnforcer bans,
    LiveHubMetrics metrics,
    TimeProvider time,
    ILogger<HubRoomEventObserver> logger) : BackgroundService, IRoomEventObserver
{
    private readonly Channel<RoomEvent> _queue = Channel.CreateUnbounded<RoomEvent>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    public Task OnRoomEventsAsync(IReadOnlyList<RoomEvent> events)
    {
        foreach (var roomEvent in events)
        {
            _queue.Writer.TryWrite(roomEvent);
        }

        return Task.CompletedTask;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var roomEvent in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await SendAsync(roomEvent);
                }
                catch (Exception ex)
                {
                    RealtimeLog.SendFailed(logger, ex, roomEvent.GetType().Name, roomEvent.RoomId);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task SendAsync(RoomEvent roomEvent)
    {
        if (roomEvent is UserBannedEvent banned)
        {
            await bans.EnforceAsync(banned);
            return;
        }

        await RoomEventWire.SendAsync(hub.Clients.Group(RoomGroups.Name(roomEvent.RoomId)), roomEvent, time.GetUtcNow());
        metrics.RoomEventSent(roomEvent);
    }
}
