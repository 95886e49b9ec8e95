using System.Threading.Channels;
using Live.Contracts.Notifications;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Live.Grains.Notifications;

/// <summary>
/// The silo's batching notifier (the GPSTracker sample's PushNotifierGrain, as a silo service): rooms enqueue without
/// awaiting; one loop hands each event to one hub server per backplane (an event <see cref="RoomEvent.ForEveryHub"/>
/// to every hub), trying the next hub of that backplane when one fails. At least once: a backplane's events stay
/// queued until one of its hubs has taken them (a hub answers once it has sent them on), and are pushed again after
/// <see cref="NotificationOptions.RetryDelay"/> when none did; with no hub registered at all they wait for one. What
/// is dropped (a queue past <see cref="NotificationOptions.MaxQueuedEvents"/>, a backplane that left the directory)
/// is counted and is a gap viewers see by <c>seq</c>. A push that timed out but arrived is sent again: hubs and
/// clients drop what they have by <c>seq</c>. A room's events stay in order: a room lives on one silo, this loop is
/// the only reader, and each backplane's queue is pushed oldest first, one push at a time. The queues' pushes run
/// apart: a hub that does not answer (killed, its connection not yet dropped) holds its own queue for up to
/// <see cref="NotificationOptions.PushTimeout"/>, not the others.
/// </summary>
internal sealed partial class RoomEventPublisher(
    IGrainFactory grains,
    TimeProvider time,
    IOptions<NotificationOptions> options,
    ILogger<RoomEventPublisher> logger) : BackgroundService, IRoomEventPublisher
{
    private readonly Channel<RoomEvent> _queue = Channel.CreateBounded<RoomEvent>(
        new BoundedChannelOptions(options.Value.MaxQueuedEvents)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            AllowSynchronousContinuations = false,
        },
        _ => LiveGrainMetrics.RoomEventsDropped(1, "queue_full"));

    private readonly HubFailures _failures = new();
    private readonly Dictionary<string, DeliveryQueue> _targets = new(StringComparer.Ordinal);
    private readonly List<RoomEvent> _unassigned = [];
    private IReadOnlyList<HubRegistration> _hubs = [];
    private DateTimeOffset _hubsFetchedAt = DateTimeOffset.MinValue;

    public void Publish(RoomEvent roomEvent)
    {
        if (!_queue.Writer.TryWrite(roomEvent))
        {
            // The silo is stopping and this loop has ended (a room deactivating late): counted, a gap by seq that the
            // room's handed-over window closes on resume.
            LiveGrainMetrics.RoomEventsDropped(1, "shutdown");
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _queue.Reader;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var waitingSince = time.GetUtcNow();
                if (!HasWork(waitingSince))
                {
                    await WaitAsync(reader, stoppingToken);
                }

                while (reader.TryRead(out var item))
                {
                    _unassigned.Add(item);
                }

                try
                {
                    await DeliverAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    // The directory could not be read: everything stays queued for the next round.
                    LogPushFailed(logger, ex, _unassigned.Count);
                    await Task.Delay(options.Value.RetryDelay, time, stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            // Nothing pushes what is still queued: counted as lost, and so is anything published from now on (a push that
            // ended with its events taken is applied first, so they are not counted).
            _queue.Writer.TryComplete();
            EndPushes();
            var left = _unassigned.Count + _targets.Values.Sum(t => t.Count);
            while (reader.TryRead(out _))
            {
                left++;
            }

            if (left > 0)
            {
                LiveGrainMetrics.RoomEventsDropped(left, "shutdown");
                LogDroppedAtStop(logger, left);
            }
        }
    }

    /// <summary>Something to do now: new events, a push that ended, or an idle queue whose retry is due.</summary>
    private bool HasWork(DateTimeOffset now) =>
        _unassigned.Count > 0 && _hubs.Count > 0
        || _targets.Values.Any(t => t.InFlight is { IsCompleted: true } || t.InFlight is null && t.Count > 0 && t.RetryAt <= now);

    /// <summary>
    /// Until new events come, a push ends, or the earliest retry falls due (or, with events and no hub, the next look).
    /// </summary>
    private async Task WaitAsync(ChannelReader<RoomEvent> reader, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var retries = _targets.Values.Where(t => t.InFlight is null && t.Count > 0).Select(t => t.RetryAt).ToList();
        if (_unassigned.Count > 0)
        {
            retries.Add(now + options.Value.RetryDelay);
        }

        var pushes = _targets.Values.Select(t => t.InFlight).OfType<Task<bool>>().ToList();
        if (retries.Count == 0 && pushes.Count == 0)
        {
            await reader.WaitToReadAsync(cancellationToken);
            return;
        }

        var delay = retries.Count == 0 ? Timeout.InfiniteTimeSpan : retries.Min() - now;
        if (retries.Count > 0 && delay <= TimeSpan.Zero)
        {
            return;
        }

        using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var waits = new List<Task>(pushes) { reader.WaitToReadAsync(wake.Token).AsTask() };
        if (retries.Count > 0)
        {
            waits.Add(Task.Delay(delay, time, wake.Token));
        }

        await Task.WhenAny(waits);
        await wake.CancelAsync();
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task DeliverAsync(CancellationToken cancellationToken)
    {
        EndPushes();

        // With events and no hub known, the directory is asked again (at most once a retry delay), not the cached copy:
        // it may predate the hubs' registration.
        var hubs = await GetHubsAsync(refresh: _unassigned.Count > 0 && _hubs.Count == 0
            && time.GetUtcNow() - _hubsFetchedAt >= options.Value.RetryDelay);
        if (hubs.Count == 0)
        {
            if (_unassigned.Count > 0)
            {
                LogNoHubs(logger, _unassigned.Count);
                Bound(_unassigned, "queue_full");
            }

            // Queues of hubs no longer listed wait with the rest for the next look, rather than being due again at once.
            foreach (var idle in _targets.Values.Where(t => t.InFlight is null && t.Count > 0))
            {
                idle.RetryAt = time.GetUtcNow() + options.Value.RetryDelay;
            }

            return;
        }

        Assign(hubs);
        var now = time.GetUtcNow();
        foreach (var target in _targets.Values.Where(t => t.InFlight is null && t.Count > 0 && t.RetryAt <= now))
        {
            // Not awaited: each queue's push runs on its own, and the loop applies its end (EndPushes).
            var order = target.Hubs.OrderBy(h => _failures.IsFailing(h.HubId, now) ? 1 : 0).ToArray();
            target.Begin(options.Value.MaxBatch, batch => PushAsync(order, batch, cancellationToken));
        }
    }

    /// <summary>Applies the ends of the pushes that ended: taken events leave their queue; the others wait to be retried.</summary>
    private void EndPushes()
    {
        foreach (var target in _targets.Values.Where(t => t.InFlight is { IsCompleted: true }))
        {
            var taken = target.InFlight!.IsCompletedSuccessfully && target.InFlight.Result;
            target.Ended(taken, time.GetUtcNow() + options.Value.RetryDelay);
            if (!taken)
            {
                LogTargetUnreachable(logger, target.Key, target.Count);
            }
        }
    }

    /// <summary>
    /// Hands the new events to the queue of each backplane (and each hub, for events that act on every hub), and drops
    /// the queues of backplanes that left the directory: no hub of theirs has been heard from for
    /// <see cref="NotificationOptions.HubForgetAfter"/>, so no viewer is connected through them.
    /// </summary>
    private void Assign(IReadOnlyList<HubRegistration> hubs)
    {
        var current = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in hubs.GroupBy(h => h.Backplane, StringComparer.Ordinal))
        {
            Target("backplane:" + group.Key, [.. group], current).Add(_unassigned.Where(e => !e.ForEveryHub));
        }

        foreach (var hub in hubs)
        {
            Target("hub:" + hub.HubId, [hub], current).Add(_unassigned.Where(e => e.ForEveryHub));
        }

        _unassigned.Clear();
        // A queue whose push is in flight stays until that push ends (the next round drops it): a key that comes back
        // meanwhile finds it, so one key never has two pushes at once.
        foreach (var gone in _targets.Values.Where(t => !current.Contains(t.Key) && t.InFlight is null).ToArray())
        {
            if (gone.Count > 0)
            {
                LiveGrainMetrics.RoomEventsDropped(gone.Count, "backplane_gone");
                LogTargetGone(logger, gone.Key, gone.Count);
            }

            _targets.Remove(gone.Key);
        }

        foreach (var target in _targets.Values)
        {
            if (target.Trim(options.Value.MaxQueuedEvents) is var dropped and > 0)
            {
                LiveGrainMetrics.RoomEventsDropped(dropped, "queue_full");
                LogQueueFull(logger, target.Key, dropped);
            }
        }
    }

    private DeliveryQueue Target(string key, List<HubRegistration> hubs, HashSet<string> current)
    {
        current.Add(key);
        if (!_targets.TryGetValue(key, out var target))
        {
            _targets[key] = target = new DeliveryQueue(key);
        }

        target.Hubs = hubs;
        return target;
    }

    /// <summary>
    /// Pushes <paramref name="batch"/> (the oldest events of a queue) to the first of
    /// <paramref name="hubs"/> that takes it (hubs that failed lately last; among the rest the order is stable, so one
    /// hub does the publishing); true when one did. The queue itself is left to the loop.
    /// </summary>
    private async Task<bool> PushAsync(HubRegistration[] hubs, RoomEvent[] batch, CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var hub in hubs)
        {
            try
            {
                await hub.Observer.OnRoomEventsAsync(batch).WaitAsync(options.Value.PushTimeout, time, cancellationToken);
                _failures.Succeeded(hub.HubId);
                return true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _failures.Failed(hub.HubId, time.GetUtcNow() + options.Value.HubExpiry);
                LiveGrainMetrics.RoomEventPushFailed();
                LogHubFailed(logger, ex, hub.HubId, hub.Backplane);
            }
        }

        return false;
    }

    /// <summary>Keeps the newest <see cref="NotificationOptions.MaxQueuedEvents"/> of <paramref name="events"/>.</summary>
    private void Bound(List<RoomEvent> events, string reason)
    {
        var excess = events.Count - options.Value.MaxQueuedEvents;
        if (excess > 0)
        {
            events.RemoveRange(0, excess);
            LiveGrainMetrics.RoomEventsDropped(excess, reason);
        }
    }

    private async Task<IReadOnlyList<HubRegistration>> GetHubsAsync(bool refresh)
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

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "No hub server is registered; {Count} room events wait for one")]
    private static partial void LogNoHubs(ILogger logger, int count);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "Pushing room events to hub {HubId} (backplane {Backplane}) failed")]
    private static partial void LogHubFailed(ILogger logger, Exception exception, string hubId, string backplane);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Error, Message = "No hub server of {Target} took its room events; {Count} wait to be pushed again")]
    private static partial void LogTargetUnreachable(ILogger logger, string target, int count);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Error, Message = "Delivering room events failed; {Count} wait to be pushed again")]
    private static partial void LogPushFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "{Target} left the hub directory with {Count} room events queued: dropped")]
    private static partial void LogTargetGone(ILogger logger, string target, int count);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "{Target} holds too many room events: the {Count} oldest dropped")]
    private static partial void LogQueueFull(ILogger logger, string target, int count);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "The silo stopped with {Count} room events not yet taken by a hub server: viewers see a gap by seq and resume")]
    private static partial void LogDroppedAtStop(ILogger logger, int count);
}
