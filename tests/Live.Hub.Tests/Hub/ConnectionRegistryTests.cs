using Live.Hub.Realtime;

namespace Live.Hub.Tests.Hub;

/// <summary>The hub server's connection index under connects and disconnects that race.</summary>
public sealed class ConnectionRegistryTests
{
    /// <summary>
    /// A user's reconnect arriving while their last connection is being dropped: the new connection must stay in the
    /// index (before, "no connections left, drop the user" ran in two steps and could drop the new one with the set).
    /// </summary>
    [Fact]
    public async Task AReconnectRacingTheLastDisconnectStaysInTheIndex()
    {
        var registry = new ConnectionRegistry();
        const int rounds = 20_000;
        using var start = new Barrier(2);
        var lost = 0;
        for (var round = 0; round < rounds; round++)
        {
            registry.Connected($"old-{round}", "user-1");
            var disconnect = Task.Factory.StartNew(() => { start.SignalAndWait(); registry.Disconnected($"old-{round}"); }, TaskCreationOptions.LongRunning);
            start.SignalAndWait();
            registry.Connected($"new-{round}", "user-1");
            await disconnect.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

            if (!registry.ConnectionsOf("user-1").SequenceEqual([$"new-{round}"]))
            {
                lost++;
            }

            registry.Disconnected($"new-{round}");
            Assert.Empty(registry.ConnectionsOf("user-1"));
        }

        Assert.Equal(0, lost);
    }

    [Fact]
    public void AnonymousConnectionsAreCountedPerAddressUntilTheyClose()
    {
        var registry = new ConnectionRegistry();

        Assert.Equal(1, registry.Connected("a1", null, "10.0.0.1"));
        Assert.Equal(2, registry.Connected("a2", null, "10.0.0.1"));
        Assert.Equal(1, registry.Connected("b1", null, "10.0.0.2"));
        Assert.Equal(1, registry.Connected("u1", "user-1", "10.0.0.1"));
        Assert.Equal(0, registry.Connected("x1", null, null));
        Assert.Equal(2, registry.AnonymousFrom("10.0.0.1"));

        registry.Disconnected("a1");
        registry.Disconnected("u1");
        Assert.Equal(1, registry.AnonymousFrom("10.0.0.1"));
        registry.Disconnected("a2");
        registry.Disconnected("a2");
        Assert.Equal(0, registry.AnonymousFrom("10.0.0.1"));
        Assert.Equal(1, registry.AnonymousFrom("10.0.0.2"));
    }
}
