using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;

namespace Live.Hosting.Failover;

/// <summary>
/// The hub server's outgoing grain call filter, so that a silo's loss costs a viewer a short delay, not an error or a
/// hang. A retry-safe call (<see cref="GrainCallRetryPolicy.IsRetrySafe"/>) that fails because a silo died, goes
/// unanswered for <see cref="GrainCallRetryOptions.AttemptTimeout"/>, or was in flight when this client lost a gateway
/// (<see cref="GatewayLoss"/>) is sent again until an attempt answers or the caller's time
/// (<see cref="GrainCallRetryOptions.Budget"/>) runs out; Orleans places the grain on a live silo once the dead one is
/// declared dead. Any other call is sent once; if a gateway is lost while it is in flight and no answer comes within
/// <see cref="GrainCallRetryOptions.LostGatewayGrace"/> after that, it fails with a <see cref="TimeoutException"/>
/// (answered <c>unavailable</c>) instead of holding its caller (and, on SignalR, every later call of the same
/// connection) for the whole response timeout.
/// </summary>
/// <remarks>
/// Each retry-safe attempt is a call of its own, made through the grain reference with the same arguments (it passes
/// through this filter untouched), never a second <c>Invoke</c> of the caller's context: an attempt stuck on a dead
/// connection must not hold up the next, and Orleans' call context takes one invocation at a time. The first attempt
/// to answer wins; a slower one's answer is dropped (the calls are safe to run twice).
/// </remarks>
internal sealed partial class RetryingGrainCallFilter(
    GrainCallRetryPolicy policy, GatewayLoss gatewayLoss, TimeProvider time, ILogger<RetryingGrainCallFilter> logger)
    : IOutgoingGrainCallFilter
{
    private static readonly AsyncLocal<bool> InsideAttempt = new();
    private static readonly ConcurrentDictionary<Type, PropertyInfo> ResultProperties = new();

    public Task Invoke(IOutgoingGrainCallContext context)
    {
        if (InsideAttempt.Value || policy.Options.Budget <= TimeSpan.Zero)
        {
            return context.Invoke();
        }

        return GrainCallRetryPolicy.IsRetrySafe(context.InterfaceMethod) ? RetryAsync(context) : SendOnceAsync(context);
    }

    private async Task SendOnceAsync(IOutgoingGrainCallContext context)
    {
        var lost = gatewayLoss.Token;
        var call = context.Invoke();
        if (call.IsCompleted)
        {
            await call;
            return;
        }

        using var finished = CancellationTokenSource.CreateLinkedTokenSource(lost);
        var loss = Task.Delay(Timeout.InfiniteTimeSpan, time, finished.Token);
        if (await Task.WhenAny(call, loss) == call)
        {
            await finished.CancelAsync();
            await call;
            return;
        }

        // A gateway went away while this call was in flight: it may have gone with it.
        var grace = Task.Delay(policy.Options.LostGatewayGrace, time);
        if (await Task.WhenAny(call, grace) == call)
        {
            await call;
            return;
        }

        _ = call.ContinueWith(static t => t.Exception, TaskScheduler.Default);
        LostInFlight(logger, context.InterfaceName, context.MethodName);
        throw new TimeoutException($"{context.InterfaceName}.{context.MethodName}: a gateway was lost while the call was in flight, and no answer came");
    }

    private async Task RetryAsync(IOutgoingGrainCallContext context)
    {
        var arguments = new object?[context.Request.GetArgumentCount()];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = context.Request.GetArgument(i);
        }

        var started = time.GetTimestamp();
        var lastAttempt = started;
        var attempts = 1;
        var lost = gatewayLoss.Token;
        var running = new List<Attempt> { new(AttemptAsync(context, arguments)) };
        long? retryAt = null;
        Exception? lastLoss = null;

        void SendAnother()
        {
            running.Add(new Attempt(AttemptAsync(context, arguments)));
            attempts++;
            lastAttempt = time.GetTimestamp();
        }

        try
        {
            while (true)
            {
                // Wake up for the first of: an attempt ends, the pause before a retry ends, the last live attempt's
                // timeout, the budget's end, a gateway lost.
                var elapsed = time.GetElapsedTime(started);
                var live = running.Count(a => !a.Orphaned);
                var untilNext = policy.Options.Budget - elapsed;
                if (retryAt is { } at)
                {
                    untilNext = Min(untilNext, time.GetElapsedTime(time.GetTimestamp(), at));
                }
                else if (live > 0)
                {
                    untilNext = Min(untilNext, policy.Options.AttemptTimeout - time.GetElapsedTime(lastAttempt));
                }

                using var wake = CancellationTokenSource.CreateLinkedTokenSource(lost);
                var timer = Task.Delay(untilNext > TimeSpan.Zero ? untilNext : TimeSpan.Zero, time, wake.Token);
                await Task.WhenAny([.. running.Select(a => a.Call), timer]);
                var gatewayLost = lost.IsCancellationRequested;
                await wake.CancelAsync();

                // Attempts that ended: the first answer wins; a refusal or a bug is the caller's; a silo's loss is noted.
                var failedNow = false;
                foreach (var attempt in running.Where(a => a.Call.IsCompleted).ToArray())
                {
                    running.Remove(attempt);
                    if (attempt.Call.IsCompletedSuccessfully)
                    {
                        context.Result = attempt.Call.Result;
                        return;
                    }

                    var failure = attempt.Call.Exception!.InnerExceptions.Count == 1 ? attempt.Call.Exception.InnerException! : attempt.Call.Exception;
                    if (!GrainCallRetryPolicy.IsSiloLoss(failure))
                    {
                        ExceptionDispatchInfo.Throw(failure);
                    }

                    lastLoss = failure;
                    failedNow = true;
                    Retrying(logger, context.InterfaceName, context.MethodName, attempts, failure.GetType().Name, failure.Message);
                }

                elapsed = time.GetElapsedTime(started);
                if (gatewayLost)
                {
                    // Whatever was in flight may have gone with that gateway: it no longer counts as an attempt that
                    // may still answer (it still wins if it does), and another goes out at once unless one is due.
                    lost = gatewayLoss.Token;
                    foreach (var attempt in running)
                    {
                        attempt.Orphaned = true;
                    }

                    if (retryAt is null && elapsed < policy.Options.Budget)
                    {
                        Unanswered(logger, context.InterfaceName, context.MethodName, attempts, time.GetElapsedTime(lastAttempt).TotalMilliseconds, true);
                        SendAnother();
                        continue;
                    }
                }

                live = running.Count(a => !a.Orphaned);
                if (failedNow && live == 0 && retryAt is null)
                {
                    // Every attempt that may still answer failed with a silo's loss (those left, if any, are on a lost
                    // gateway): pause, then try again while the budget lasts.
                    var pause = policy.NextDelay(lastLoss!, attempts, elapsed);
                    if (pause is null)
                    {
                        GaveUp(logger, context.InterfaceName, context.MethodName, attempts, elapsed.TotalMilliseconds, lastLoss!.GetType().Name);
                        ExceptionDispatchInfo.Throw(lastLoss!);
                    }

                    retryAt = time.GetTimestamp() + (long)(pause.Value.TotalSeconds * time.TimestampFrequency);
                    continue;
                }

                if (retryAt is { } due && time.GetTimestamp() >= due)
                {
                    retryAt = null;
                    SendAnother();
                    continue;
                }

                if (elapsed >= policy.Options.Budget)
                {
                    GaveUp(logger, context.InterfaceName, context.MethodName, attempts, elapsed.TotalMilliseconds, lastLoss?.GetType().Name ?? nameof(TimeoutException));
                    throw new TimeoutException(
                        $"{context.InterfaceName}.{context.MethodName}: no answer from the cluster within {policy.Options.Budget.TotalSeconds:0.#} s ({attempts} attempts)");
                }

                var waited = time.GetElapsedTime(lastAttempt);
                if (retryAt is null && live > 0 && policy.SendAnother(waited, elapsed, live))
                {
                    Unanswered(logger, context.InterfaceName, context.MethodName, attempts, waited.TotalMilliseconds, false);
                    SendAnother();
                }
            }
        }
        finally
        {
            // Attempts still in flight end on their own (answer or timeout); their outcome is no longer wanted.
            foreach (var abandoned in running)
            {
                _ = abandoned.Call.ContinueWith(static t => t.Exception, TaskScheduler.Default);
            }
        }
    }

    /// <summary>
    /// One attempt of a retry-safe call. <see cref="Orphaned"/>: a gateway was lost while it was in flight, so it may
    /// never be answered; it no longer counts against <see cref="GrainCallRetryOptions.MaxInFlight"/> nor holds back a
    /// retry, but its answer is still taken if it comes first.
    /// </summary>
    private sealed class Attempt(Task<object?> call)
    {
        public Task<object?> Call { get; } = call;

        public bool Orphaned { get; set; }
    }

    private static async Task<object?> AttemptAsync(IOutgoingGrainCallContext context, object?[] arguments)
    {
        Task call;
        InsideAttempt.Value = true;
        try
        {
            call = (Task)context.InterfaceMethod.Invoke(context.Grain, arguments)!;
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            ExceptionDispatchInfo.Throw(ex.InnerException);
            throw;
        }
        finally
        {
            InsideAttempt.Value = false;
        }

        await call;
        return context.InterfaceMethod.ReturnType.IsGenericType
            ? ResultProperties.GetOrAdd(call.GetType(), static t => t.GetProperty(nameof(Task<object>.Result))!).GetValue(call)
            : null;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(EventId = 8001, Level = LogLevel.Information, Message = "Retrying {Interface}.{Method} after attempt {Attempt} failed with {Failure}: {Reason}")]
    private static partial void Retrying(ILogger logger, string @interface, string method, int attempt, string failure, string reason);

    [LoggerMessage(EventId = 8002, Level = LogLevel.Information, Message = "{Interface}.{Method}: attempt {Attempt} unanswered after {WaitedMs} ms (gateway lost: {GatewayLost}); sending another")]
    private static partial void Unanswered(ILogger logger, string @interface, string method, int attempt, double waitedMs, bool gatewayLost);

    [LoggerMessage(EventId = 8003, Level = LogLevel.Warning, Message = "{Interface}.{Method} still failing after {Attempts} attempts in {ElapsedMs} ms ({Failure}); giving up")]
    private static partial void GaveUp(ILogger logger, string @interface, string method, int attempts, double elapsedMs, string failure);

    [LoggerMessage(EventId = 8004, Level = LogLevel.Warning, Message = "{Interface}.{Method} was in flight when a gateway was lost and got no answer; answering unavailable")]
    private static partial void LostInFlight(ILogger logger, string @interface, string method);
}
