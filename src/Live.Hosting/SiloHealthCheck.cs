using Live.Contracts.Notifications;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Live.Hosting;

/// <summary>Ready once this silo answers a grain call (it has joined the cluster).</summary>
public sealed class SiloHealthCheck(IGrainFactory grains) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await grains.GetGrain<IHubDirectoryGrain>(0).GetHubsAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy("silo serving");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("silo not serving", ex);
        }
    }
}
