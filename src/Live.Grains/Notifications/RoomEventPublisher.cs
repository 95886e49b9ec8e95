using System.Threading.Channels;
using Live.Contracts.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Live.Grains.Notifications;

/// <summary>
/// The silo's batching notifier (the GPSTracker sample's PushNotifierGrain, as a silo service): grains enqueue
/// without awaiting; one loop drains the queue in batches and pushes each batch to one hub server per backplane,
/// trying the next hub of that backplane when one fails. Events of one room stay in order because a room lives
/// on one silo and this loop is the only reader.
/// </summary>
internal sealed partial class RoomEventPublisher(
    IGrainFactory grains,
    TimeProvider time,
    IOptions<NotificationOptions> options,
    ILogger<RoomEventPublisher> logger) : BackgroundService, IRoomEventPublisher
{
    private readonly Channel<RoomEvent> _queue = Channel.CreateUnbounded<RoomEvent>(
        new UnboundedChannelOptions { SingleReader = true, AllowSynchronousContinuations = false });

    private readonly HubFailures _failures = new();
    private IReadOnlyList<HubRegistration> _hubs = [];
    private DateTimeOffset _hubsFetchedAt = DateTimeOffset.MinValue;

    public void Publish(RoomEvent roomEvent) => _queue.Writer.TryWrite(roomEvent);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<RoomEvent>(options.Value.MaxBatch);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < options.Value.MaxBatch && reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                try
                {
                    await PushAsync(batch.ToArray(), stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogPushFailed(logger, ex, batch.Count);
                }

                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task PushAsync(RoomEvent[] batch, CancellationToken cancellationToken)
    {
        var hubs = await GetHubsAsync();
        if (hubs.Count == 0)
        {
            // The cached copy may predate the hubs' registration: look again before giving up on the batch.
            hubs = await GetHubsAsync(refresh: true);
        }

        if (hubs.Count == 0)
        {
            LogNoHubs(logger, batch.Length);
            return;
        }

        var shared = Array.FindAll(batch, e => !e.ForEveryHub);
        var everyHub = Array.FindAll(batch, e => e.ForEveryHub);
        var pushes = new List<Task>();
        if (shared.Length > 0)
        {
            pushes.AddRange(hubs.GroupBy(h => h.Backplane, StringComparer.Ordinal)
                .Select(group => PushToBackplaneAsync(group.ToList(), shared, cancellationToken)));
        }

        if (everyHub.Length > 0)
        {
            pushes.AddRange(hubs.Select(hub => PushToBackplaneAsync([hub], everyHub, cancellationToken)));
        }

        await Task.WhenAll(pushes);
    }

    private async Task PushToBackplaneAsync(List<HubRegistration> hubs, RoomEvent[] batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();

        // Hubs that failed lately go last; among the rest the order is stable, so one hub does the publishing.
        var ordered = hubs.OrderBy(h => _failures.IsFailing(h.HubId, now) ? 1 : 0);
        foreach (var hub in ordered)
        {
            try
            {
                await hub.Observer.OnRoomEventsAsync(batch).WaitAsync(options.Value.PushTimeout, time, cancellationToken);
                _failures.Succeeded(hub.HubId);
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _failures.Failed(hub.HubId, now + options.Value.HubExpiry);
                LogHubFailed(logger, ex, hub.HubId, hub.Backplane);
            }
        }

        LogBackplaneUnreachable(logger, hubs[0].Backplane, batch.Length);
    }

    private async Task<IReadOnlyList<HubRegistration>> GetHubsAsync(bool refresh = false)
    {
        var now = time.GetUtcNow();
        if (!refresh && now - _hubsFetchedAt < options.Value.DirectoryCacheTime)
        {
            return _hubs;
        }

        _hubs = await grains.GetGrain<IHubDirectoryGrain>(0).GetHubsAsync();
        _hubsFetchedAt = now;
        _failures.ForgetExpired(now);
        return _hubs;
    }

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "No hub server is registered; {Count} room events dropped")]
    private static partial void LogNoHubs(ILogger logger, int count);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Pushing room events to hub {HubId} (backplane {Backplane}) failed")]
    private static partial void LogHubFailed(ILogger logger, Exception exception, string hubId, string backplane);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "No hub server of backplane {Backplane} took {Count} room events")]
    private static partial void LogBackplaneUnreachable(ILogger logger, string backplane, int count);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Pushing a batch of {Count} room events failed")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, int count);
}
