using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Live.Hosting;

/// <summary>
/// Unhealthy while Redis does not answer a ping; one ping a second at most, whatever the requests
/// (<see cref="SharedProbe"/>): registered as a singleton so that the probe is shared.
/// </summary>
public sealed class RedisHealthCheck(LiveRedisConnection redis, TimeProvider time) : IHealthCheck
{
    private readonly SharedProbe _probe = new(time);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        _probe.RunAsync(ProbeAsync, cancellationToken);

    private async Task<HealthCheckResult> ProbeAsync()
    {
        try
        {
            var connection = await redis.GetAsync().WaitAsync(TimeSpan.FromSeconds(3));
            var latency = await connection.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2));
            return HealthCheckResult.Healthy($"redis answered in {latency.TotalMilliseconds:0.0} ms");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("redis not reachable", ex);
        }
    }
}
