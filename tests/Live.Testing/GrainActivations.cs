namespace Live.Testing;

/// <summary>
/// Which grains are resident, from Orleans' management grain: for tests that a call about an unknown id leaves no
/// activation behind.
/// </summary>
public static class GrainActivations
{
    /// <summary>The keys (room ids, product ids, ...) of every grain activation in the cluster now.</summary>
    public static async Task<IReadOnlySet<string>> ActiveKeysAsync(IGrainFactory grains)
    {
        var statistics = await grains.GetGrain<IManagementGrain>(0).GetDetailedGrainStatistics();
        return statistics.Select(s => s.GrainId.Key.ToString()!).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>
    /// Waits until none of <paramref name="keys"/> is active (a grain deactivates after answering, not before); a
    /// <see cref="TimeoutException"/> naming the ones still active otherwise.
    /// </summary>
    public static async Task WaitUntilNoneActiveAsync(IGrainFactory grains, IReadOnlyCollection<string> keys, string what, TimeSpan? timeout = null)
    {
        var stillActive = await Eventually.LastAsync(
            async () => (await ActiveKeysAsync(grains)).Intersect(keys).ToArray(), active => active.Length == 0, timeout ?? TimeSpan.FromSeconds(10));
        if (stillActive.Length > 0)
        {
            throw new TimeoutException($"{what}: {stillActive.Length} of {keys.Count} grains are still active, e.g. {string.Join(", ", stillActive.Take(5))}");
        }
    }
}
