using System.Net.Http.Json;
using Live.Cluster.Tests.Infrastructure;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using Microsoft.AspNetCore.SignalR.Client;

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

        await using var onA = LiveCluster.Connection(hubA, cluster.Token("viewer-a"));
        await using var onB = LiveCluster.Connection(hubB, cluster.Token("viewer-b"));
        var chatA = new EventProbe<ChatMessage[]>(onA, "ChatBatch");
        var chatB = new EventProbe<ChatMessage[]>(onB, "ChatBatch");
        var endedA = new EventProbe<FlashSale>(onA, "FlashSaleEnded");
        var endedB = new EventProbe<FlashSale>(onB, "FlashSaleEnded");
        var pinnedB = new EventProbe<Product>(onB, "ProductPinned");
        await onA.StartAsync();
        await onB.StartAsync();
        await onA.InvokeAsync<RoomSnapshot>("JoinRoom", room.Id);
        await onB.InvokeAsync<RoomSnapshot>("JoinRoom", room.Id);

        var first = await onA.InvokeAsync<ChatMessage>("SendChat", room.Id, "hello from hub A");
        await chatB.WaitUntilAsync(b => b.SelectMany(m => m).Any(m => m.Id == first.Id), "hub A's message on hub B");

        // A sale that ends by its own timer, inside a grain on whichever silo holds it.
        using var pin = await host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product!.Id });
        await pinnedB.WaitUntilAsync(p => p.Count == 1, "the pin on hub B");
        var sale = await (await host.PostAsJsonAsync($"/api/rooms/{room.Id}/flash-sales", new { productId = product.Id, price = 10, quantity = 5, perUserLimit = 1, durationSeconds = 2 })).Content.ReadFromJsonAsync<FlashSale>();
        await endedA.WaitUntilAsync(e => e.Any(s => s.Id == sale!.Id), "the timed end on hub A");
        await endedB.WaitUntilAsync(e => e.Any(s => s.Id == sale!.Id), "the timed end on hub B");

        // A last message from hub B marks the end of the stream: everything before it has been delivered.
        var last = await onB.InvokeAsync<ChatMessage>("SendChat", room.Id, "last from hub B");
        await chatA.WaitUntilAsync(b => b.SelectMany(m => m).Any(m => m.Id == last.Id), "hub B's last message on hub A");
        await chatB.WaitUntilAsync(b => b.SelectMany(m => m).Any(m => m.Id == last.Id), "hub B's last message on hub B");
        await endedA.WaitUntilAsync(_ => true, "settled");

        foreach (var chat in new[] { chatA, chatB })
        {
            Assert.Equal([first.Id, last.Id], chat.Items.SelectMany(b => b).Select(m => m.Id));
        }

        Assert.Single(endedA.Items, s => s.Id == sale!.Id);
        Assert.Single(endedB.Items, s => s.Id == sale!.Id);
        Assert.Single(pinnedB.Items);
        Assert.Equal(SaleStatus.Ended, endedB.Items.Single().Status);
    }
}
