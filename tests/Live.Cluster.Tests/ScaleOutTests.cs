using System.Net.Http.Json;
using Live.Client;
using Live.Cluster.Tests.Infrastructure;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;

namespace Live.Cluster.Tests;

/// <summary>Two silos and two hub servers on one Redis: every room event reaches every viewer exactly once.</summary>
public sealed class ScaleOutTests
{
    [Fact]
    public async Task RoomEventsReachViewersOnEveryHubExactlyOnce()
    {
        await using var cluster = await LiveCluster.StartAsync(silos: 2, hubs: 2);
        try
        {
            await EveryHubGetsEveryEventOnceAsync(cluster);
        }
        catch (TimeoutException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n{cluster.Logs()}");
        }
    }

    private static async Task EveryHubGetsEveryEventOnceAsync(LiveCluster cluster)
    {
        var (hubA, hubB) = (cluster.Hubs[0].BaseUri, cluster.Hubs[1].BaseUri);
        using var host = LiveCluster.Http(hubA, cluster.Token("host-x", "host"));
        var product = await (await host.PostAsJsonAsync("/api/products", new { name = "Tea set", brand = "Florasis", price = 88, stock = 50 })).Content.ReadFromJsonAsync<Product>();
        var room = await (await host.PostAsJsonAsync("/api/rooms", new { title = "Cross-hub" })).Content.ReadFromJsonAsync<Room>();
        await host.PostAsync($"/api/rooms/{room!.Id}/start", null);

        // Viewers as an app developer writes them: Live.Client, which numbers, de-duplicates and resumes by itself.
        await using var onA = new LiveClient(LiveCluster.Connection(hubA, cluster.Token("viewer-a")));
        await using var onB = new LiveClient(LiveCluster.Connection(hubB, cluster.Token("viewer-b")));
        var (seenA, seenB) = (new RoomRecorder(), new RoomRecorder());
        await onA.StartAsync();
        await onB.StartAsync();
        var roomA = await onA.JoinRoomAsync(room.Id, seenA.Attach);
        var roomB = await onB.JoinRoomAsync(room.Id, seenB.Attach);

        var first = await onA.SendChatAsync(room.Id, "hello from hub A");
        await seenB.Chat.WaitUntilAsync(c => c.Any(m => m.Id == first.Id), "hub A's message on hub B");

        // A sale that ends by its own timer, inside a grain on whichever silo holds it.
        using var pin = await host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product!.Id });
        await seenB.Pinned.WaitUntilAsync(p => p.Count == 1, "the pin on hub B");
        var sale = await (await host.PostAsJsonAsync($"/api/rooms/{room.Id}/flash-sales", new { productId = product.Id, price = 10, quantity = 5, perUserLimit = 1, durationSeconds = 2 })).Content.ReadFromJsonAsync<FlashSale>();
        await seenA.SaleEnded.WaitUntilAsync(e => e.Any(s => s.Id == sale!.Id), "the timed end on hub A");
        await seenB.SaleEnded.WaitUntilAsync(e => e.Any(s => s.Id == sale!.Id), "the timed end on hub B");

        // A last message from hub B marks the end of the stream: everything before it has been delivered.
        var last = await onB.SendChatAsync(room.Id, "last from hub B");
        await seenA.Chat.WaitUntilAsync(c => c.Any(m => m.Id == last.Id), "hub B's last message on hub A");
        await seenB.Chat.WaitUntilAsync(c => c.Any(m => m.Id == last.Id), "hub B's last message on hub B");

        foreach (var seen in new[] { seenA, seenB })
        {
            Assert.Equal([first.Id, last.Id], seen.Chat.Items.Select(m => m.Id));
        }

        // Exactly once as the server sent it, not as the client's de-duplication made it: nothing came twice.
        Assert.Equal((0, 0), (roomA.Duplicates, roomB.Duplicates));
        var (endedA, endedB, pinnedB) = (seenA.SaleEnded, seenB.SaleEnded, seenB.Pinned);
        Assert.Single(endedA.Items, s => s.Id == sale!.Id);
        Assert.Single(endedB.Items, s => s.Id == sale!.Id);
        Assert.Single(pinnedB.Items);
        Assert.Equal(Live.Client.Models.SaleStatuses.Ended, endedB.Items.Single().Status);
    }
}
