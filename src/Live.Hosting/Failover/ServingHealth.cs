using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Live.Hosting.Failover;

/// <summary>
/// What <c>/health</c> says of this node's way into the cluster, given how its last grain call went. A node that
/// served a moment ago and now sees a silo's loss (<see cref="GrainCallRetryPolicy.IsSiloLoss"/>) is
/// <see cref="HealthStatus.Degraded"/> (still 200: the cluster is replacing a silo, and taking this node out of the
/// load balancer would only add to the outage) for <see cref="LiveClusterOptions.HealthGrace"/>; past that, or before
/// it ever served, or on any other failure, it is <see cref="HealthStatus.Unhealthy"/> (503).
/// </summary>
public sealed class ServingHealth(TimeProvider time, TimeSpan grace)
{
    private long _lastServedTicks = long.MinValue;

    public HealthCheckResult Served()
    {
        Interlocked.Exchange(ref _lastServedTicks, time.GetUtcNow().UtcTicks);
        return HealthCheckResult.Healthy("silo serving");
    }

    public HealthCheckResult Failed(Exception failure)
    {
        var last = Interlocked.Read(ref _lastServedTicks);
        var since = last == long.MinValue ? (TimeSpan?)null : time.GetUtcNow() - new DateTimeOffset(last, TimeSpan.Zero);
        var lossLike = GrainCallRetryPolicy.IsSiloLoss(failure) || failure is OperationCanceledException;
        return lossLike && since is { } s && s <= grace
            ? HealthCheckResult.Degraded($"a silo is being replaced (served {s.TotalSeconds:0.#} s ago)", failure)
            : HealthCheckResult.Unhealthy("silo not serving", failure);
    }
}
