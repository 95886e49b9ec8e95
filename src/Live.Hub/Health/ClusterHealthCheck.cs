using Live.Grains.Notifications;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Live.Hub.Health;

/// <summary>Ready once a grain call gets through: the embedded silo has started, or the cluster client is connected.</summary>
internal sealed class ClusterHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var hubs = await grains.GetGrain<IHubDirectoryGrain>(0).GetHubsAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy($"cluster reachable; {hubs.Count} hub server(s) registered");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("cluster not reachable", ex);
        }
    }
}
