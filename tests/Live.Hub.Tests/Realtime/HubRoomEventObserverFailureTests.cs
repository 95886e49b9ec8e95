using Live.Hub.Realtime;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using StackExchange.Redis;

namespace Live.Hub.Tests.Realtime;

/// <summary>
/// A push that failed on this hub server goes back to the silo as an exception Orleans can carry: a backplane client's
/// own exception (no Orleans codec) left the silo logging a codec error and waiting out its call timeout.
/// </summary>
public sealed class HubRoomEventObserverFailureTests
{
    private static readonly Serializer Serializer = new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>();

    [Fact]
    public void ABackplaneClientsExceptionGoesBackAsOneTheSiloCanReadNamingItsCause()
    {
        var down = new RedisConnectionException(ConnectionFailureType.SocketFailure, "No connection is active/available to service this operation");

        var answered = HubRoomEventObserver.Answerable(down);

        var read = Assert.IsType<InvalidOperationException>(RoundTrip(answered));
        Assert.Contains("RedisConnectionException", read.Message, StringComparison.Ordinal);
        Assert.Contains("No connection is active", read.Message, StringComparison.Ordinal);
        Assert.Throws<CodecNotFoundException>(() => RoundTrip(down));
    }

    [Fact]
    public void ExceptionsTheSiloCanAlreadyReadGoAsTheyAre()
    {
        var busy = new InvalidOperationException("hub server busy");
        var late = new TimeoutException("late");

        Assert.Same(busy, HubRoomEventObserver.Answerable(busy));
        Assert.Same(late, HubRoomEventObserver.Answerable(late));

        var wrapping = new InvalidOperationException("outer", new RedisConnectionException(ConnectionFailureType.SocketFailure, "down"));
        Assert.NotSame(wrapping, HubRoomEventObserver.Answerable(wrapping));
        Assert.IsType<InvalidOperationException>(RoundTrip(HubRoomEventObserver.Answerable(wrapping)));
    }

    private static Exception RoundTrip(Exception exception) => Serializer.Deserialize<Exception>(Serializer.SerializeToArray(exception))!;
}
