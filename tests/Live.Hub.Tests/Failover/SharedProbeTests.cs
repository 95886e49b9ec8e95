using Live.Hosting;
using Microsoft.Extensions.Diagnostics.HealthChecks;
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
}
