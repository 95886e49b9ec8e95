using Live.Hosting.Failover;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Time.Testing;

namespace Live.Hub.Tests.Failover;

public sealed class ServingHealthTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void ANodeThatNeverServedIsUnhealthy() =>
        Assert.Equal(HealthStatus.Unhealthy, new ServingHealth(_time, TimeSpan.FromSeconds(15)).Failed(new TimeoutException()).Status);

    [Fact]
    public void ASilosLossRightAfterServingIsDegradedUntilTheGraceRunsOut()
    {
        var health = new ServingHealth(_time, TimeSpan.FromSeconds(15));
        Assert.Equal(HealthStatus.Healthy, health.Served().Status);

        _time.Advance(TimeSpan.FromSeconds(3));
        Assert.Equal(HealthStatus.Degraded, health.Failed(new SiloUnavailableException()).Status);
        Assert.Equal(HealthStatus.Degraded, health.Failed(new TimeoutException()).Status);
        Assert.Equal(HealthStatus.Degraded, health.Failed(new OperationCanceledException()).Status);

        _time.Advance(TimeSpan.FromSeconds(12));
        Assert.Equal(HealthStatus.Degraded, health.Failed(new TimeoutException()).Status);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(HealthStatus.Unhealthy, health.Failed(new TimeoutException()).Status);

        // Serving again starts a new grace.
        Assert.Equal(HealthStatus.Healthy, health.Served().Status);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(HealthStatus.Degraded, health.Failed(new SiloUnavailableException()).Status);
    }

    [Fact]
    public void AFailureThatIsNotASilosLossIsUnhealthyAtOnce()
    {
        var health = new ServingHealth(_time, TimeSpan.FromSeconds(15));
        health.Served();

        Assert.Equal(HealthStatus.Unhealthy, health.Failed(new InvalidOperationException("a bug")).Status);
    }
}
