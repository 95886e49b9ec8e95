using System.Collections.Concurrent;
using Live.Contracts;
using Live.Contracts.Rooms;
using Microsoft.Extensions.Options;

namespace Live.Hub.Realtime;

/// <summary>
/// This hub server's viewers per room. Joins and leaves only touch a counter; a background loop reports changed
/// counts to the room grains (plus a periodic heartbeat), so a join storm costs the room a few calls a second.
/// </summary>
public sealed class RoomPresence(
    IGrainFactory grains,
    HubIdentity identity,
    IOptions<LiveHubOptions> options,
    TimeProvider time,
    ILogger<RoomPresence> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, int> _viewers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (int Count, DateTimeOffset At)> _reported = new(StringComparer.Ordinal);

    public void Joined(string roomId) => _viewers.AddOrUpdate(roomId, 1, (_, n) => n + 1);

    public void Left(string roomId) => _viewers.AddOrUpdate(roomId, 0, (_, n) => Math.Max(0, n - 1));

    public long TotalViewers() => _viewers.Values.Sum(v => (long)v);

    public int RoomsWatched() => _viewers.Count(v => v.Value > 0);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.ViewerReportInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                Report();
            }
            catch (Exception ex)
            {
                RealtimeLog.ViewerReportFailed(logger, ex);
            }
        }
    }

    private void Report()
    {
        var now = time.GetUtcNow();
        foreach (var (roomId, count) in _viewers)
        {
            var due = !_reported.TryGetValue(roomId, out var last)
                || last.Count != count
                || now - last.At >= options.Value.ViewerHeartbeat;
            if (!due)
            {
                continue;
            }

            _ = grains.GetGrainByKey<ILiveRoomGrain>(roomId).ReportViewersAsync(identity.HubId, count);
            _reported[roomId] = (count, now);
            if (count == 0)
            {
                _viewers.TryRemove(new KeyValuePair<string, int>(roomId, 0));
                _reported.Remove(roomId);
            }
        }
    }
}
