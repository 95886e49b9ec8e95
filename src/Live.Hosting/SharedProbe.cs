using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Live.Hosting;

/// <summary>
/// One run of a health probe at a time, its result answered to every request for <see cref="Freshness"/> from its
/// start: <c>/health</c> answers anyone without a token or a rate limit (load balancers probe it), so the grain call or
/// Redis ping behind it must not be made once per request. A load balancer sees a result at most a second old (or
/// the end of a probe still running).
/// </summary>
/// <remarks>
/// Hand-written because ASP.NET's health checks have no per-check cache (<c>HealthCheckPublisherOptions</c> only
/// schedules publishers). The probe runs without any one request's cancellation, since others wait for it too; each
/// probe bounds itself with its own timeout, and each request stops waiting at its own cancellation.
/// </remarks>
public sealed class SharedProbe(TimeProvider time)
{
    /// <summary>How long a probe's result is answered again.</summary>
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private Task<HealthCheckResult>? _current;
    private long _startedAt;

    /// <summary>The result of the probe running or run less than <see cref="Freshness"/> ago; otherwise of a new run of <paramref name="probe"/>.</summary>
    public Task<HealthCheckResult> RunAsync(Func<Task<HealthCheckResult>> probe, CancellationToken cancellationToken)
    {
        Task<HealthCheckResult> current;
        lock (_gate)
        {
            if (_current is null || (_current.IsCompleted && time.GetElapsedTime(_startedAt) >= Freshness))
            {
                _startedAt = time.GetTimestamp();
                _current = Task.Run(probe, CancellationToken.None);
            }

            current = _current;
        }

        return current.WaitAsync(cancellationToken);
    }
}
