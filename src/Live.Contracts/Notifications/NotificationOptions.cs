namespace Live.Contracts.Notifications;

/// <summary>How room events travel from grains to hub servers.</summary>
public sealed class NotificationOptions
{
    public const string SectionName = "Notifications";

    /// <summary>How often a hub server refreshes its directory entry.</summary>
    public TimeSpan HubHeartbeat { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A hub not heard from for this long is late: silos push to it only when no hub of its backplane is on time,
    /// and a push that fails sets it aside for this long.
    /// </summary>
    public TimeSpan HubExpiry { get; set; } = TimeSpan.FromSeconds(35);

    /// <summary>A hub not heard from for this long leaves the directory.</summary>
    public TimeSpan HubForgetAfter { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long the silo trusts its copy of the directory.</summary>
    public TimeSpan DirectoryCacheTime { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long one push to a hub may take before the silo tries another hub of the same backplane.</summary>
    public TimeSpan PushTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most events in one push.</summary>
    public int MaxBatch { get; set; } = 256;

    /// <summary>
    /// Most room events a silo holds for one backplane (or one hub) it cannot reach, and for when no hub is registered
    /// at all; past it the oldest are dropped, each a gap viewers see by <c>seq</c> (and counted).
    /// </summary>
    public int MaxQueuedEvents { get; set; } = 100_000;

    /// <summary>How long a silo waits before pushing again to a backplane that took nothing, or looking for a hub again.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);
}
