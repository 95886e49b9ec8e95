using Live.Contracts.Notifications;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Live.Grains.Notifications;

/// <summary>
/// In-memory on purpose: hub servers re-register every <see cref="NotificationOptions.HubHeartbeat"/>, so a
/// reactivated directory is whole again within one heartbeat.
/// </summary>
/// <remarks>
/// A hub whose heartbeat is late is not dropped from the answer: it comes after the hubs heard from lately, so a
/// silo still has somewhere to push when every heartbeat is late (a starved machine, a slow gateway) instead of
/// dropping the room's events. A dead hub's observer fails fast and the silo moves on; it is forgotten after
/// <see cref="NotificationOptions.HubForgetAfter"/>.
/// </remarks>
internal sealed partial class HubDirectoryGrain(
    TimeProvider time,
    IOptions<NotificationOptions> options,
    ILogger<HubDirectoryGrain> logger) : Grain, IHubDirectoryGrain
{
    private readonly Dictionary<string, HubRegistration> _hubs = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        LogActivated(logger, RuntimeIdentity);
        return Task.CompletedTask;
    }

    Task IHubDirectoryGrain.RegisterAsync(HubRegistration registration)
    {
        if (!_hubs.ContainsKey(registration.HubId))
        {
            LogRegistered(logger, registration.HubId, registration.Backplane, RuntimeIdentity);
        }

        _hubs[registration.HubId] = registration with { LastSeen = time.GetUtcNow() };
        return Task.CompletedTask;
    }

    Task IHubDirectoryGrain.UnregisterAsync(string hubId)
    {
        _hubs.Remove(hubId);
        return Task.CompletedTask;
    }

    Task<IReadOnlyList<HubRegistration>> IHubDirectoryGrain.GetHubsAsync()
    {
        var now = time.GetUtcNow();
        var forgotten = now - options.Value.HubForgetAfter;
        foreach (var gone in _hubs.Values.Where(h => h.LastSeen < forgotten).ToArray())
        {
            _hubs.Remove(gone.HubId);
            LogForgotten(logger, gone.HubId, gone.LastSeen);
        }

        var fresh = now - options.Value.HubExpiry;
        var hubs = _hubs.Values
            .OrderBy(h => h.LastSeen >= fresh ? 0 : 1)
            .ThenBy(h => h.HubId, StringComparer.Ordinal)
            .ToArray();
        if (hubs.Length > 0 && hubs[0].LastSeen < fresh)
        {
            LogAllLate(logger, hubs.Length, now - hubs.Max(h => h.LastSeen));
        }

        return Task.FromResult<IReadOnlyList<HubRegistration>>(hubs);
    }

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Hub directory activated on {Silo}")]
    private static partial void LogActivated(ILogger logger, string silo);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Hub {HubId} (backplane {Backplane}) registered in the hub directory on {Silo}")]
    private static partial void LogRegistered(ILogger logger, string hubId, string backplane, string silo);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Every hub's heartbeat is late ({Count} hubs, the latest {Age} ago); pushing to them anyway")]
    private static partial void LogAllLate(ILogger logger, int count, TimeSpan age);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Hub {HubId} not heard from since {LastSeen}: forgotten")]
    private static partial void LogForgotten(ILogger logger, string hubId, DateTimeOffset lastSeen);
}
