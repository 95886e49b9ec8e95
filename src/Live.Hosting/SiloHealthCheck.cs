using Live.Contracts.Notifications;
using Live.Hosting.Failover;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Live.Hosting;

/// <summary>
/// Ready once this node answers a grain call (it has joined the cluster); a silo's loss elsewhere in the cluster
/// makes it degraded, not unhealthy, for a grace period (<see cref="ServingHealth"/>).
/// </summary>
public sealed class SiloHealthCheck(IGrainFactory grains, ServingHealth serving) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IHubDirectoryGrain>(0).GetHubsAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return serving.Served();
        }
        catch (Exception ex)
        {
            return serving.Failed(ex);
        }
    }
}
