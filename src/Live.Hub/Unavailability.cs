using Live.Grains;
using Live.Hosting.Failover;

namespace Live.Hub;

/// <summary>
/// Which failures a client is told as <c>unavailable</c> (REST 503 with <c>Retry-After</c>, the hub's
/// <c>unavailable: ...</c>): a silo's loss that outlived the retries (<see cref="GrainCallRetryPolicy.IsSiloLoss"/>) and
/// storage that could not be reached or answered late (<see cref="TransientStorageFailure"/>: Redis down or restarting,
/// SQLite busy). Both pass by themselves, so the same call may be sent again. Anything else stays an error: a bug is
/// not turned into something a client retries forever.
/// </summary>
public static class Unavailability
{
    /// <summary>What a client is told when a silo's loss outlived the retries (or the call was not safe to retry).</summary>
    public const string SiloLossDetail = "the cluster is replacing a server; nothing is known to have been done, try again";

    /// <summary>What a client is told when storage could not be reached.</summary>
    public const string StorageDetail = "storage is not reachable for the moment; nothing is known to have been done, try again";

    /// <summary>The detail to answer with <c>unavailable</c>, or null when <paramref name="failure"/> is not such a failure.</summary>
    public static string? Detail(Exception failure) =>
        GrainCallRetryPolicy.IsSiloLoss(failure) ? SiloLossDetail
        : TransientStorageFailure.Is(failure) ? StorageDetail
        : null;
}
