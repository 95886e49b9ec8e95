using Live.Contracts.Notifications;
using Live.Grains.Tests.Infrastructure;

namespace Live.Grains.Tests.Notifications;

/// <summary>The hub directory silos push room events through (a fresh directory key per test).</summary>
[Collection(ClusterCollection.Name)]
public sealed class HubDirectoryTests(ClusterFixture fixture)
{
    private IHubDirectoryGrain NewDirectory() => fixture.Client.GetGrain<IHubDirectoryGrain>(Random.Shared.NextInt64(1, long.MaxValue));

    private HubRegistration Hub(string id) => new() { HubId = id, Backplane = "shared", Observer = fixture.EventsReference! };

    [Fact]
    public async Task AHubWhoseHeartbeatIsLateIsStillListedButAfterTheHubsOnTime()
    {
        var directory = NewDirectory();
        await directory.RegisterAsync(Hub("a-late"));
        fixture.Advance(ClusterFixture.HubExpiry + TimeSpan.FromSeconds(1));
        await directory.RegisterAsync(Hub("b-on-time"));

        Assert.Equal(["b-on-time", "a-late"], (await directory.GetHubsAsync()).Select(h => h.HubId));

        // With nobody on time the late hub is all there is: the silo pushes to it rather than drop the events.
        await directory.UnregisterAsync("b-on-time");
        Assert.Equal(["a-late"], (await directory.GetHubsAsync()).Select(h => h.HubId));

        // A heartbeat puts it back among the hubs on time, in the directory's stable order.
        await directory.RegisterAsync(Hub("c-on-time"));
        await directory.RegisterAsync(Hub("a-late"));
        Assert.Equal(["a-late", "c-on-time"], (await directory.GetHubsAsync()).Select(h => h.HubId));
    }
}
