using System.Data.Common;
using System.Net.Sockets;
using Live.Contracts;

namespace Live.Grains;

/// <summary>
/// Whether a failure says that storage (Redis, SQLite) could not be reached or did not answer in time — a state that
/// passes, so the call may be sent again — rather than a bug or a refusal, which sending again would not cure.
/// </summary>
/// <remarks>
/// <para>Transient: <see cref="StorageUnavailableException"/>; StackExchange.Redis' <c>RedisConnectionException</c> and
/// <c>RedisTimeoutException</c>, and its <c>RedisServerException</c> answering <c>LOADING</c> (a restarted Redis reading
/// its append-only file); Orleans' <c>RedisStorageException</c> when the failure it wraps (named in its message, the
/// only place Orleans keeps it) is one of those, also inside the <see cref="OrleansException"/> an activation that
/// could not read its state answers with; a <see cref="DbException"/> that says it is transient (SQLite busy or
/// locked); a <see cref="TimeoutException"/> or <see cref="SocketException"/>.</para>
/// <para>Not transient: anything else — <see cref="InvalidOperationException"/>, a serialization failure wrapped by
/// Orleans' storage, an etag conflict (<c>InconsistentStateException</c>), a <see cref="LiveException"/>. Those stay
/// errors (500 over REST), so that a bug is seen as one and not retried forever.</para>
/// <para>Known by type name: Live.Grains does not reference the storage clients, and the hub sees Orleans' wrapper.</para>
/// </remarks>
public static class TransientStorageFailure
{
    private static readonly string[] RedisTransientTypes =
    [
        "StackExchange.Redis.RedisConnectionException",
        "StackExchange.Redis.RedisTimeoutException",
    ];

    public static bool Is(Exception? failure) => failure switch
    {
        null or LiveException => false,
        StorageUnavailableException => true,
        TimeoutException or SocketException => true,
        DbException { IsTransient: true } => true,
        AggregateException { InnerExceptions.Count: > 0 } all => all.InnerExceptions.All(Is),

        // A grain whose activation could not read its state: Orleans answers its own exception around the storage's.
        _ when failure.GetType() == typeof(OrleansException) => Is(failure.InnerException),
        _ when RedisTransientTypes.Contains(failure.GetType().FullName) => true,
        _ when failure.GetType().FullName == "StackExchange.Redis.RedisServerException" => failure.Message.StartsWith("LOADING", StringComparison.Ordinal),
        _ when failure.GetType().Name == "RedisStorageException" =>
            RedisTransientTypes.Any(t => failure.Message.Contains(t, StringComparison.Ordinal))
            || failure.Message.Contains("RedisServerException: LOADING", StringComparison.Ordinal)
            || Is(failure.InnerException),
        _ => false,
    };

    /// <summary>
    /// Whether a transient failure of a write leaves open that the write landed: a timeout (the command may have run and
    /// its answer been lost: <see cref="TimeoutException"/>, StackExchange.Redis' <c>RedisTimeoutException</c>), or a
    /// connection that failed while the command was on it (a <see cref="SocketException"/>, Redis' <c>SocketClosed</c>
    /// and <c>SocketFailure</c>). False for one that says the write was never sent or never applied: no connection
    /// available (Redis' backlog, <c>UnableToConnect</c>), Redis <c>LOADING</c>, SQLite busy or locked (its transaction
    /// rolled back), <see cref="StorageUnavailableException"/>. A grain may take a change back only when this is false.
    /// </summary>
    public static bool MayHaveLanded(Exception? failure) => failure switch
    {
        null => false,
        TimeoutException or SocketException => true,
        AggregateException all => all.InnerExceptions.Any(MayHaveLanded),
        _ when failure.GetType().FullName == "StackExchange.Redis.RedisTimeoutException" => true,
        _ => failure.Message.Contains("RedisTimeoutException", StringComparison.Ordinal)
            || failure.Message.Contains("SocketClosed", StringComparison.Ordinal)
            || failure.Message.Contains("SocketFailure", StringComparison.Ordinal)
            || MayHaveLanded(failure.InnerException),
    };

    /// <summary>
    /// What a grain throws for a storage failure so that it reaches its caller (no storage client's exception has an
    /// Orleans codec): <see cref="StorageUnavailableException"/> when it is transient, otherwise an
    /// <see cref="InvalidOperationException"/>; both name what was attempted and the cause's type and message.
    /// </summary>
    public static Exception Answerable(string what, Exception cause) =>
        Is(cause)
            ? new StorageUnavailableException($"{what}: {cause.GetType().Name}: {cause.Message}")
            : new InvalidOperationException($"{what}: {cause.GetType().Name}: {cause.Message}");
}
