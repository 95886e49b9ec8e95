using Live.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Live.Hub.Tests.Failover;

/// <summary><c>/health</c>'s probes: one run at a time, its result answered again for a second.</summary>
public sealed class SharedProbeTests
{
    private readonly FakeTimeProvider _time = new();
    private int _runs;

    private Task<HealthCheckResult> Probe()
    {
        var run = Interlocked.Increment(ref _runs);
        return Task.FromResult(HealthCheckResult.Healthy($"run {run}"));
    }

    [Fact]
    public async Task RequestsWithinASecondShareOneRunAndTheNextSecondRunsAgain()
    {
        var probe = new SharedProbe(_time);

        var answers = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => probe.RunAsync(Probe, CancellationToken.None)));
        Assert.All(answers, a => Assert.Equal("run 1", a.Description));

        _time.Advance(SharedProbe.Freshness - TimeSpan.FromMilliseconds(1));
        Assert.Equal("run 1", (await probe.RunAsync(Probe, CancellationToken.None)).Description);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal("run 2", (await probe.RunAsync(Probe, CancellationToken.None)).Description);
        Assert.Equal(2, _runs);
    }

    [Fact]
    public async Task AProbeStillRunningIsAwaitedNotStartedAgainAndARequestStopsAtItsOwnCancellation()
    {
        var probe = new SharedProbe(_time);
        var release = new TaskCompletionSource<HealthCheckResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        Task<HealthCheckResult> Slow()
        {
            Interlocked.Increment(ref _runs);
            return release.Task;
        }

        var first = probe.RunAsync(Slow, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(5));
        using var impatient = new CancellationTokenSource();
        var second = probe.RunAsync(Slow, impatient.Token);
        await impatient.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => second);

        release.SetResult(HealthCheckResult.Degraded("slow"));
        Assert.Equal(HealthStatus.Degraded, (await first).Status);
        Assert.Equal(1, _runs);
    }

    [Fact]
    public async Task TheServersHealthChecksAreOneInstanceEachSoEveryRequestSharesTheirProbe()
    {
        // /health builds its checks through the registrations' factories at each request: a check that were not one
        // instance would bring a fresh SharedProbe, and every request would probe the cluster (and Redis) again.
        await using var redis = await RedisServer.StartAsync();
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string?>
        {
            ["Hub:Backplane"] = "Redis",
            ["Redis:ConnectionString"] = redis.ConnectionString,
            ["Redis:KeyPrefix"] = "probe-shared:",
        });
        var registrations = server.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;

        Assert.Equal(["cluster", "redis"], registrations.Select(r => r.Name).Order());
        Assert.All(registrations, r => Assert.Same(r.Factory(server.Services), r.Factory(server.Services)));
    }
}
