using Microsoft.Extensions.Options;

namespace Live.Grains.Notifications;

/// <summary>
/// In-memory on purpose: hub servers re-register every <see cref="NotificationOptions.HubHeartbeat"/>, so a
/// reactivated directory is whole again within one heartbeat, and a dead hub's observer drops out by itself.
/// </summary>
internal sealed class HubDirectoryGrain(TimeProvider time, IOptions<NotificationOptions> options) : Grain, IHubDirectoryGrain
{
    private readonly Dictionary<string, HubRegistration> _hubs = [];

    Task IHubDirectoryGrain.RegisterAsync(HubRegistration registration)
    {
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
        var cutoff = time.GetUtcNow() - options.Value.HubExpiry;
        return Task.FromResult<IReadOnlyList<HubRegistration>>(
            _hubs.Values.Where(h => h.LastSeen >= cutoff).OrderBy(h => h.HubId, StringComparer.Ordinal).ToArray());
    }
}
