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
}
