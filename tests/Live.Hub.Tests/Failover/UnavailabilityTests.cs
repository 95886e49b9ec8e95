using System.Net.Sockets;
using Live.Contracts;
using Live.Grains;
using Orleans.Storage;
using StackExchange.Redis;

namespace Live.Hub.Tests.Failover;

/// <summary>
/// Which failures the hub answers <c>unavailable</c> (REST 503, the hub's <c>unavailable: ...</c>) so that clients retry:
/// a silo's loss and storage out of reach (Redis down or restarting) — and never a bug.
/// </summary>
public sealed class UnavailabilityTests
{
    public static TheoryData<Exception, string?> Failures() => new()
    {
        // Storage out of reach: as the hub sees it from a grain (our own exception, Orleans' Redis storage's wrapper)
        // or from its own Redis (the backplane).
        { new StorageUnavailableException("could not append to ledger flashsale/sale_1: RedisConnectionException: SocketClosed"), Unavailability.StorageDetail },
        { OrleansRedisStorage("Failed to write grain state for liveroom grain with ID liveroom/r1 and storage key k. StackExchange.Redis.RedisConnectionException: No connection is active/available to service this operation"), Unavailability.StorageDetail },
        { OrleansRedisStorage("Failed to read grain state for product grain with ID product/p1 and storage key k. StackExchange.Redis.RedisServerException: LOADING Redis is loading the dataset in memory"), Unavailability.StorageDetail },
        {
            new OrleansException(
                "Error from storage provider RedisGrainStorage.product during ReadStateAsync for grain product/p1",
                OrleansRedisStorage("Failed to read grain state for product with ID product/p1 and storage key k. StackExchange.Redis.RedisConnectionException: The message timed out in the backlog")),
            Unavailability.StorageDetail
        },
        { new RedisConnectionException(ConnectionFailureType.SocketClosed, "SocketClosed on 127.0.0.1:6390"), Unavailability.StorageDetail },
        { new RedisServerException("LOADING Redis is loading the dataset in memory"), Unavailability.StorageDetail },

        // A silo's loss (RedisTimeoutException is a TimeoutException: a late answer, whoever was late).
        { new SiloUnavailableException("the target silo became unavailable"), Unavailability.SiloLossDetail },
        { new RedisTimeoutException("Timeout performing EVAL", CommandStatus.Sent), Unavailability.SiloLossDetail },
        { new SocketException((int)SocketError.ConnectionRefused), Unavailability.SiloLossDetail },

        // Bugs and refusals stay what they are.
        { new InvalidOperationException("could not append to ledger flashsale/sale_1: LedgerConflictException: expected 3"), null },
        { OrleansRedisStorage("Failed to write grain state for cart grain with ID cart/u1 and storage key k. System.Text.Json.JsonException: cycle"), null },
        { new RedisServerException("ERR unknown command 'EVALSHA_RO'"), null },
        { new InconsistentStateException("etag mismatch"), null },
        { new OrleansException("Error from storage provider during ReadStateAsync", OrleansRedisStorage("Failed to read grain state. System.Text.Json.JsonException: bad")), null },
        { LiveException.Conflict("already exists"), null },
        { new NullReferenceException(), null },
        { new AggregateException(new StorageUnavailableException("x"), new InvalidOperationException("a bug")), null },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void StorageOutOfReachAndASilosLossAreUnavailableAndNothingElseIs(Exception failure, string? detail) =>
        Assert.Equal(detail, Unavailability.Detail(failure));

    public static TheoryData<Exception, bool> WritesThatMayHaveLanded() => new()
    {
        // Never sent or never applied: a grain may take its change back.
        { OrleansRedisStorage("Failed to write grain state for liveroom grain with ID liveroom/r1 and storage key k. StackExchange.Redis.RedisConnectionException: No connection is active/available to service this operation"), false },
        {
            new OrleansException(
                "Error from storage provider RedisGrainStorage.liveroom during WriteStateAsync for grain liveroom/r1",
                OrleansRedisStorage("Failed to write grain state for liveroom with ID liveroom/r1 and storage key k. StackExchange.Redis.RedisConnectionException: The message timed out in the backlog attempting to send because no connection became available")),
            false
        },
        { new RedisConnectionException(ConnectionFailureType.UnableToConnect, "It was not possible to connect to the redis server(s)"), false },
        { OrleansRedisStorage("Failed to write grain state for liveroom grain with ID liveroom/r1 and storage key k. StackExchange.Redis.RedisServerException: LOADING Redis is loading the dataset in memory"), false },
        { new StorageUnavailableException("room r1 is reloading"), false },

        // Sent, and the answer lost: the write may be in storage.
        { new RedisTimeoutException("Timeout performing EVAL", CommandStatus.Sent), true },
        { OrleansRedisStorage("Failed to write grain state for liveroom grain with ID liveroom/r1 and storage key k. StackExchange.Redis.RedisTimeoutException: Timeout performing EVALSHA"), true },
        { new OrleansException("Error from storage provider during WriteStateAsync", new TimeoutException("late")), true },
        { new RedisConnectionException(ConnectionFailureType.SocketClosed, "SocketClosed on 127.0.0.1:6390"), true },
        { new SocketException((int)SocketError.ConnectionReset), true },
    };

    [Theory]
    [MemberData(nameof(WritesThatMayHaveLanded))]
    public void AWriteThatTimedOutOrLostItsConnectionMayHaveLandedAndOneNeverSentDidNot(Exception failure, bool mayHaveLanded)
    {
        Assert.True(TransientStorageFailure.Is(failure));
        Assert.Equal(mayHaveLanded, TransientStorageFailure.MayHaveLanded(failure));
    }

    [Fact]
    public void AGrainsStorageFailureBecomesOneOrleansCarriesAndTellsTransientFromNot()
    {
        var transient = TransientStorageFailure.Answerable("could not read ledger flashsale/sale_1", new RedisConnectionException(ConnectionFailureType.SocketClosed, "SocketClosed"));
        var bug = TransientStorageFailure.Answerable("could not read ledger flashsale/sale_1", new FormatException("bad entry"));

        Assert.IsType<StorageUnavailableException>(transient);
        Assert.Equal("could not read ledger flashsale/sale_1: RedisConnectionException: SocketClosed", transient.Message);
        Assert.IsType<InvalidOperationException>(bug);
        Assert.Equal(Unavailability.StorageDetail, Unavailability.Detail(transient));
        Assert.Null(Unavailability.Detail(bug));
    }

    /// <summary>Orleans' Redis grain storage wraps every failure in its (internal-namespace) RedisStorageException.</summary>
    private static Exception OrleansRedisStorage(string message)
    {
        var type = typeof(Orleans.Persistence.RedisStorageOptions).Assembly.GetTypes().Single(t => t.Name == "RedisStorageException");
        return (Exception)Activator.CreateInstance(type, message)!;
    }
}
