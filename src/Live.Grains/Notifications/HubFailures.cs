using System.Collections.Concurrent;

namespace Live.Grains.Notifications;

/// <summary>
/// Which hub servers failed a push lately, so the notifier tries them last until their time is up. Written by the
/// pushes to every backplane, which run in parallel (one batch goes to all backplanes at once), hence concurrent.
/// </summary>
internal sealed class HubFailures
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _failedUntil = new(StringComparer.Ordinal);

    public void Failed(string hubId, DateTimeOffset until) => _failedUntil[hubId] = until;

    public void Succeeded(string hubId) => _failedUntil.TryRemove(hubId, out _);

    public bool IsFailing(string hubId, DateTimeOffset now) =>
        _failedUntil.TryGetValue(hubId, out var until) && until > now;

    /// <summary>Hubs remembered, failing or expired (expired ones go when they next succeed or are forgotten).</summary>
    public int Count => _failedUntil.Count;

    /// <summary>Forgets hubs whose failure has expired, so hubs that left the directory do not stay here.</summary>
    public void ForgetExpired(DateTimeOffset now)
    {
        foreach (var (hubId, until) in _failedUntil)
        {
            if (until <= now)
            {
                _failedUntil.TryRemove(new KeyValuePair<string, DateTimeOffset>(hubId, until));
            }
        }
    }
}
