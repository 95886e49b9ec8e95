using Live.Contracts;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Live.Hub.Tests.Hub;

/// <summary>
/// <see cref="ConnectionHubHandler.ConnectedAsync"/> on its own: a connection that reaches the hub once the server has
/// begun to stop (it passed <c>StoppingHubGate</c> just before) is refused with <c>unavailable</c> and leaves nothing
/// registered; the same connection before the stop is taken. (GracefulStopTests covers the stop end to end, where the
/// gate answers first.)
/// </summary>
public sealed class ConnectionHubHandlerTests
{
    [Fact]
    public async Task AConnectionArrivingWhileTheServerStopsIsRefusedUnavailableAndNotRegistered()
    {
        var lifetime = new Lifetime();
        var registry = new ConnectionRegistry();
        var handler = Handler(registry, lifetime);

        await handler.ConnectedAsync(new FakeHubCaller("before-stop", "user-1"));
        Assert.Equal(["before-stop"], registry.ConnectionsOf("user-1"));

        lifetime.Stop();
        var refused = await Assert.ThrowsAsync<HubException>(() => handler.ConnectedAsync(new FakeHubCaller("after-stop", "user-2")));

        Assert.StartsWith($"{ErrorCodes.Unavailable}:", refused.Message, StringComparison.Ordinal);
        Assert.Empty(registry.ConnectionsOf("user-2"));
        Assert.Null(registry.Disconnected("after-stop"));
    }

    private static ConnectionHubHandler Handler(ConnectionRegistry registry, IHostApplicationLifetime lifetime)
    {
        var options = Options.Create(new LiveHubOptions());

        // Presence and metrics are only counted into on this path; presence's grain calls run in its background loop.
        var presence = UnstartedPresence.Create(options);
        return new ConnectionHubHandler(registry, presence, new LiveHubMetrics(presence), options, lifetime, NullLogger<ConnectionHubHandler>.Instance);
    }

    private sealed class Lifetime : IHostApplicationLifetime
    {
        private readonly CancellationTokenSource _stopping = new();

        public CancellationToken ApplicationStarted => CancellationToken.None;

        public CancellationToken ApplicationStopping => _stopping.Token;

        public CancellationToken ApplicationStopped => CancellationToken.None;

        public void Stop() => _stopping.Cancel();

        public void StopApplication() => Stop();
    }
}
