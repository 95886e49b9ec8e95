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
/// <see cref="GrainCallRetryOptions.AttemptTimeout"/> after that, it fails with a <see cref="TimeoutException"/>
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
        var grace = Task.Delay(policy.Options.AttemptTimeout, time);
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
        var running = new List<Task<object?>> { AttemptAsync(context, arguments) };
        Exception? lastLoss = null;
        try
        {
            while (true)
            {
                var elapsed = time.GetElapsedTime(started);
                if (running.Count == 0)
                {
                    // Every attempt so far failed with a silo's loss: pause, then try again while the budget lasts.
                    var pause = policy.NextDelay(lastLoss!, attempts, elapsed);
                    if (pause is null)
                    {
                        GaveUp(logger, context.InterfaceName, context.MethodName, attempts, elapsed.TotalMilliseconds, lastLoss!.GetType().Name);
                        ExceptionDispatchInfo.Throw(lastLoss!);
                    }

                    await Task.Delay(pause.Value, time);
                    lost = gatewayLoss.Token;
                    running.Add(AttemptAsync(context, arguments));
                    attempts++;
                    lastAttempt = time.GetTimestamp();
                    continue;
                }

                // Wake up for the first of: an attempt ends, the last attempt's timeout, the budget's end, a gateway lost.
                var untilNext = Min(policy.Options.AttemptTimeout - time.GetElapsedTime(lastAttempt), policy.Options.Budget - elapsed);
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(lost);
                var timer = Task.Delay(untilNext > TimeSpan.Zero ? untilNext : TimeSpan.Zero, time, wake.Token);
                var done = await Task.WhenAny([.. running, timer]);
                var gatewayLost = lost.IsCancellationRequested;
                await wake.CancelAsync();
                if (done == timer)
                {
                    elapsed = time.GetElapsedTime(started);
                    if (elapsed >= policy.Options.Budget)
                    {
                        GaveUp(logger, context.InterfaceName, context.MethodName, attempts, elapsed.TotalMilliseconds, nameof(TimeoutException));
                        throw new TimeoutException(
                            $"{context.InterfaceName}.{context.MethodName}: no answer from the cluster within {policy.Options.Budget.TotalSeconds:0.#} s ({attempts} attempts)");
                    }

                    var waited = time.GetElapsedTime(lastAttempt);
                    if (gatewayLost ? running.Count < policy.Options.MaxInFlight : policy.SendAnother(waited, elapsed, running.Count))
                    {
                        Unanswered(logger, context.InterfaceName, context.MethodName, attempts, waited.TotalMilliseconds, gatewayLost);
                        running.Add(AttemptAsync(context, arguments));
                        attempts++;
                    }

                    lost = gatewayLoss.Token;
                    lastAttempt = time.GetTimestamp();
                    continue;
                }

                var attempt = (Task<object?>)done;
                running.Remove(attempt);
                if (attempt.IsCompletedSuccessfully)
                {
                    context.Result = attempt.Result;
                    return;
                }

                var failure = attempt.Exception!.InnerExceptions.Count == 1 ? attempt.Exception.InnerException! : attempt.Exception;
                if (!GrainCallRetryPolicy.IsSiloLoss(failure))
                {
                    ExceptionDispatchInfo.Throw(failure);
                }

                lastLoss = failure;
                Retrying(logger, context.InterfaceName, context.MethodName, attempts, failure.GetType().Name, failure.Message);
            }
        }
        finally
        {
            // Attempts still in flight end on their own (answer or timeout); their outcome is no longer wanted.
            foreach (var abandoned in running)
            {
                _ = abandoned.ContinueWith(static t => t.Exception, TaskScheduler.Default);
            }
        }
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

    [LoggerMessage(Level = LogLevel.Information, Message = "Retrying {Interface}.{Method} after attempt {Attempt} failed with {Failure}: {Reason}")]
    private static partial void Retrying(ILogger logger, string @interface, string method, int attempt, string failure, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Interface}.{Method}: attempt {Attempt} unanswered after {WaitedMs} ms (gateway lost: {GatewayLost}); sending another")]
    private static partial void Unanswered(ILogger logger, string @interface, string method, int attempt, double waitedMs, bool gatewayLost);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Interface}.{Method} still failing after {Attempts} attempts in {ElapsedMs} ms ({Failure}); giving up")]
    private static partial void GaveUp(ILogger logger, string @interface, string method, int attempts, double elapsedMs, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Interface}.{Method} was in flight when a gateway was lost and got no answer; answering unavailable")]
    private static partial void LostInFlight(ILogger logger, string @interface, string method);
}
