using Live.Contracts.Notifications;
using Live.Hosting.Failover;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Live.Hosting;

/// <summary>
/// Ready once this node answers a grain call (it has joined the cluster); a silo's loss elsewhere in the cluster
/// makes it degraded, not unhealthy, for a grace period (<see cref="ServingHealth"/>). One grain call a second at most,
/// whatever the requests (<see cref="SharedProbe"/>): registered as a singleton so that the probe is shared.
/// </summary>
public sealed class SiloHealthCheck(IGrainFactory grains, ServingHealth serving, TimeProvider time) : IHealthCheck
{
    private readonly SharedProbe _probe = new(time);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        _probe.RunAsync(ProbeAsync, cancellationToken);

    private async Task<HealthCheckResult> ProbeAsync()
    {
        try
        {
            await grains.GetGrain<IHubDirectoryGrain>(0).GetHubsAsync().WaitAsync(TimeSpan.FromSeconds(3));
            return serving.Served();
        }
        catch (Exception ex)
        {
            return serving.Failed(ex);
        }
    }
}
