using System.Net.Sockets;
using System.Reflection;
using Live.Contracts;
using Microsoft.AspNetCore.Connections;
using Orleans.Concurrency;
using Orleans.Runtime.Messaging;

namespace Live.Hosting.Failover;

/// <summary>
/// The rule of a hub server's retries across a silo's loss: which failures mean "a silo (or the way to it) died",
/// which calls may be sent again after such a failure, and how long to wait before the next attempt.
/// </summary>
/// <remarks>
/// <para>
/// A failure of that kind says nothing about whether the grain ran the call: the silo may have died after the grain
/// wrote its state and before the answer left, and a rejection may come from a call the grain itself made. So only
/// calls that are safe to run twice are retried: reads (<c>[ReadOnly]</c>) always, and writes marked
/// <see cref="RetrySafeAttribute"/> (they carry their own identity: a purchase's request id, a checkout's key, the id
/// of what they create). Any other write fails at once, and the API answers <c>unavailable</c> (503): the client
/// decides whether to send it again.
/// </para>
/// <para>
/// Hand-written rather than Polly: the decision needs Orleans' exception types and the grain interface's attributes,
/// and the loop is a few lines in <see cref="RetryingGrainCallFilter"/>; a resilience pipeline would add a dependency
/// for a delay schedule.
/// </para>
/// </remarks>
public sealed class GrainCallRetryPolicy(GrainCallRetryOptions options)
{
    public GrainCallRetryOptions Options { get; } = options;

    /// <summary>
    /// The pause before the next attempt of a retry-safe call whose attempt number <paramref name="attemptsMade"/>
    /// failed with <paramref name="failure"/>, <paramref name="elapsed"/> after the first began; null to give up
    /// (not a silo's loss, or the next attempt would start past the budget).
    /// </summary>
    public TimeSpan? NextDelay(Exception failure, int attemptsMade, TimeSpan elapsed)
    {
        if (!IsSiloLoss(failure) || Options.Budget <= TimeSpan.Zero)
        {
            return null;
        }

        var doubling = Math.Min(Math.Max(attemptsMade - 1, 0), 16);
        var delay = TimeSpan.FromTicks(Math.Min(Options.FirstDelay.Ticks << doubling, Options.MaxDelay.Ticks));
        return elapsed + delay < Options.Budget ? delay : null;
    }

    /// <summary>
    /// Whether to send another attempt alongside those in flight: the last one went unanswered for
    /// <see cref="GrainCallRetryOptions.AttemptTimeout"/>, fewer than <see cref="GrainCallRetryOptions.MaxInFlight"/> are
    /// in flight, and the budget is not spent.
    /// </summary>
    public bool SendAnother(TimeSpan sinceLastAttempt, TimeSpan elapsed, int inFlight) =>
        sinceLastAttempt >= Options.AttemptTimeout && inFlight < Options.MaxInFlight && elapsed < Options.Budget;

    /// <summary>Whether a call of <paramref name="method"/> (a grain interface's method) may be sent again.</summary>
    public static bool IsRetrySafe(MethodInfo? method) =>
        method is not null
        && (method.ReturnType == typeof(Task) || (method.ReturnType.IsGenericType && method.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)))
        && (method.IsDefined(typeof(ReadOnlyAttribute), false) || method.IsDefined(typeof(RetrySafeAttribute), false));

    /// <summary>
    /// Whether <paramref name="failure"/> says that a silo, a gateway or the connection to one is gone or not answering,
    /// rather than what the grain decided: the silo holding the grain died (<see cref="SiloUnavailableException"/>), the
    /// message could not be delivered (<see cref="OrleansMessageRejectionException"/>, <see cref="GatewayTooBusyException"/>),
    /// a connection failed or was cut, or no answer came in time (<see cref="TimeoutException"/>). A
    /// <see cref="LiveException"/> (a refusal) never is.
    /// </summary>
    public static bool IsSiloLoss(Exception? failure) => failure switch
    {
        null or LiveException => false,
        SiloUnavailableException or OrleansMessageRejectionException or GatewayTooBusyException => true,
        ConnectionFailedException or ConnectionAbortedException or ConnectionResetException or SocketException => true,
        TimeoutException => true,
        AggregateException { InnerExceptions.Count: > 0 } all => all.InnerExceptions.All(IsSiloLoss),
        // Orleans' own socket transport failure is internal: known by name.
        _ when failure.GetType().FullName == "Orleans.Networking.Shared.SocketConnectionException" => true,
        _ => false,
    };
}
