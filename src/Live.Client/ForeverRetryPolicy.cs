using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Client;

/// <summary>
/// A live room is worth coming back to: reconnect at once, then after 0.5 s and 1 s, then every 2 s for the first
/// minute, then every 10 s, forever; every wait after the first is spread by ±25 %.
/// </summary>
/// <remarks>
/// Sized for a server restart (a deploy or a crash): an embedded server is back in seconds, and a client that waits
/// 5 or 10 s more after it is back is what a viewer sees as the outage (SignalR's default 0, 2, 10, 30 s then giving up
/// would leave half of them out). The jitter keeps thousands of viewers of one server from reconnecting in lockstep
/// (measured with the load tool's <c>resume</c> scenario, docs/PERF.md). Past a minute the server is likely down for
/// longer and 10 s spares the phone's battery.
/// </remarks>
public sealed class ForeverRetryPolicy : IRetryPolicy
{
    private static readonly TimeSpan[] First = [TimeSpan.Zero, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1)];
    private static readonly TimeSpan Steady = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patient = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SteadyFor = TimeSpan.FromMinutes(1);

    private readonly Func<double> _random;

    public ForeverRetryPolicy()
        : this(Random.Shared.NextDouble)
    {
    }

    /// <param name="random">A number in [0, 1) per wait, for the jitter (tests pass a fixed one).</param>
    public ForeverRetryPolicy(Func<double> random) => _random = random;

    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        var count = retryContext.PreviousRetryCount;
        if (count == 0)
        {
            return TimeSpan.Zero;
        }

        var delay = count < First.Length ? First[count] : retryContext.ElapsedTime < SteadyFor ? Steady : Patient;
        return delay * (0.75 + (0.5 * _random()));
    }
}
