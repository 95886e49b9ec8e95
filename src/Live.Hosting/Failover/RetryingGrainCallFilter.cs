using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;

namespace Live.Hosting.Failover;

/// <summary>
/// The hub server's outgoing grain call filter: a retry-safe call (<see cref="GrainCallRetryPolicy.IsRetrySafe"/>)
/// that fails because a silo died is sent again, after a short pause, until it succeeds or the caller's time
/// (<see cref="GrainCallRetryOptions.Budget"/>) runs out. Orleans re-places the grain on a live silo once the dead one
/// is declared dead, so the viewer sees a short delay rather than an error. Other calls pass through untouched.
/// </summary>
internal sealed partial class RetryingGrainCallFilter(GrainCallRetryPolicy policy, TimeProvider time, ILogger<RetryingGrainCallFilter> logger)
    : IOutgoingGrainCallFilter
{
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        if (policy.Options.Budget <= TimeSpan.Zero || !GrainCallRetryPolicy.IsRetrySafe(context.InterfaceMethod))
        {
            await context.Invoke();
            return;
        }

        var started = time.GetTimestamp();
        for (var attempt = 1; ; attempt++)
        {
            ExceptionDispatchInfo? thrown = null;
            try
            {
                await context.Invoke();
            }
            catch (Exception ex)
            {
                thrown = ExceptionDispatchInfo.Capture(ex);
            }

            // A failed call usually comes back as a response holding the exception rather than as a throw.
            var failure = thrown?.SourceException ?? context.Response?.Exception;
            if (failure is null)
            {
                return;
            }

            var elapsed = time.GetElapsedTime(started);
            if (policy.NextDelay(failure, attempt, elapsed) is not { } delay)
            {
                if (attempt > 1)
                {
                    GaveUp(logger, context.InterfaceName, context.MethodName, attempt, elapsed.TotalMilliseconds, failure.GetType().Name);
                }

                thrown?.Throw();
                return;
            }

            Retrying(logger, context.InterfaceName, context.MethodName, attempt, failure.GetType().Name, failure.Message);
            await Task.Delay(delay, time);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying {Interface}.{Method} after attempt {Attempt} failed with {Failure}: {Reason}")]
    private static partial void Retrying(ILogger logger, string @interface, string method, int attempt, string failure, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Interface}.{Method} still failing after {Attempts} attempts in {ElapsedMs} ms ({Failure}); giving up")]
    private static partial void GaveUp(ILogger logger, string @interface, string method, int attempts, double elapsedMs, string failure);
}
