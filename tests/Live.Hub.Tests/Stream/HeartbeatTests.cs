using System.Net.Http.Json;
using System.Text.Json;
using Live.Client.Models;
using Live.Hub.Delivery;
using Live.Hub.Realtime;
using Microsoft.Extensions.DependencyInjection;

namespace Live.Hub.Tests.Stream;

/// <summary>
/// PROTOCOL v1.5: the room's heartbeat tells a viewer whose last events were lost, in a room gone quiet, that it
/// missed them (the typed client resumes and gets them); <c>ProductPinned</c> and <c>FlashSaleUpdated</c> name their room.
/// </summary>
public sealed class HeartbeatTests
{
    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AViewerWhoseLastEventsWereLostInAQuietRoomResumesOnTheHeartbeat(WireProtocol protocol)
    {
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string?>
        {
            ["Rooms:HeartbeatInterval"] = "00:00:00.500",
        });
        var room = await new HostScenario(server, $"host-heartbeat-{protocol}").CreateRoomAsync();
        await using var alice = await server.ConnectClientAsync(server.Token($"alice-heartbeat-{protocol}"), protocol);
        var aliceChat = new EventProbe<ChatMessage>("alice's chat");
        await alice.JoinRoomAsync(room.Id, r => r.ChatReceived += aliceChat.Record);
        var viewerId = $"viewer-heartbeat-{protocol}";
        await using var viewer = await server.ConnectClientAsync(server.Token(viewerId), protocol);
        var chat = new EventProbe<ChatMessage>("the viewer's chat");
        var counts = new EventProbe<Live.Client.Models.ViewerCountUpdate>("the viewer's viewer counts");
        var joined = await viewer.JoinRoomAsync(room.Id, r =>
        {
            r.ChatReceived += chat.Record;
            r.ViewerCountChanged += counts.Record;
        });

        // Both viewers counted: from here on the room is quiet but for what the test sends.
        await counts.WaitAsync(c => c.Viewers == 2, TimeSpan.FromSeconds(30), "the count of both viewers");
        var before = await alice.SendChatAsync(room.Id, "before");
        await chat.WaitAsync(m => m.Id == before.Id, what: "the message before the loss");

        // The fault: this hub server drops the viewer's copy of the room's next events (as an outbox that dropped
        // them, or a lost frame, would), and then the room says nothing more.
        var delivery = server.Services.GetRequiredService<LocalDelivery>();
        var connectionId = server.Services.GetRequiredService<ConnectionRegistry>().ConnectionsOf(viewerId).Single();
        Assert.True(delivery.TryLeave(connectionId, room.Id));
        var lost = await alice.SendChatAsync(room.Id, "lost on the way");
        var sent = await aliceChat.WaitAsync(m => m.Id == lost.Id, what: "the lost message, as the room sent it");
        Assert.True(delivery.TryJoin(connectionId, room.Id));

        // Only the heartbeat can tell the viewer: it resumes and gets the message, once.
        var caughtUp = await chat.WaitAsync(m => m.Id == lost.Id, TimeSpan.FromSeconds(30), "the lost message, after the heartbeat");
        Assert.Equal(sent.Seq, caughtUp.Seq);
        Assert.Equal([before.Id, lost.Id], chat.Items.Select(m => m.Id));
        Assert.Equal(1, joined.Gaps);
        Assert.True(joined.ResumePoint!.Seq >= sent.Seq);
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AViewerWhoseStreamEndedWasLostLearnsOfTheEndFromTheEndedRoomsHeartbeat(WireProtocol protocol)
    {
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string?>
        {
            ["Rooms:HeartbeatInterval"] = "00:00:00.500",
        });
        var scenario = new HostScenario(server, $"host-ended-heartbeat-{protocol}");
        var room = await scenario.CreateRoomAsync();
        await using var alice = await server.ConnectClientAsync(server.Token($"alice-ended-{protocol}"), protocol);
        var aliceEnded = new EventProbe<Live.Client.Models.Room>("alice's StreamEnded");
        await alice.JoinRoomAsync(room.Id, r => r.StreamEnded += aliceEnded.Record);
        var viewerId = $"viewer-ended-{protocol}";
        await using var viewer = await server.ConnectClientAsync(server.Token(viewerId), protocol);
        var ended = new EventProbe<Live.Client.Models.Room>("the viewer's StreamEnded");
        var counts = new EventProbe<Live.Client.Models.ViewerCountUpdate>("the viewer's viewer counts");
        var joined = await viewer.JoinRoomAsync(room.Id, r =>
        {
            r.StreamEnded += ended.Record;
            r.ViewerCountChanged += counts.Record;
        });
        await counts.WaitAsync(c => c.Viewers == 2, TimeSpan.FromSeconds(30), "the count of both viewers");

        // The room's last event is lost on its way to the viewer; after it the ended room sends nothing but its heartbeat.
        var delivery = server.Services.GetRequiredService<LocalDelivery>();
        var connectionId = server.Services.GetRequiredService<ConnectionRegistry>().ConnectionsOf(viewerId).Single();
        Assert.True(delivery.TryLeave(connectionId, room.Id));
        (await scenario.Host.PostAsync($"/api/rooms/{room.Id}/end", null)).EnsureSuccessStatusCode();
        await aliceEnded.WaitAsync(r => r.Id == room.Id, what: "StreamEnded, as the room sent it");
        Assert.True(delivery.TryJoin(connectionId, room.Id));

        var caughtUp = await ended.WaitAsync(r => r.Id == room.Id, TimeSpan.FromSeconds(30), "StreamEnded, after the ended room's heartbeat");
        Assert.Equal(RoomStatuses.Ended, caughtUp.Status);
        Assert.Equal(1, joined.Gaps);
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task ProductPinnedAndFlashSaleUpdatedNameTheirRoomAndRestAnswersDoNot(WireProtocol protocol)
    {
        await using var server = await LiveServer.StartAsync();
        var scenario = new HostScenario(server, $"host-room-ids-{protocol}");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        await using var viewer = await server.ConnectClientAsync(server.Token($"viewer-room-ids-{protocol}"), protocol);
        var pinned = new EventProbe<Product>(viewer.Connection, "ProductPinned");
        var updated = new EventProbe<FlashSaleProgress>(viewer.Connection, "FlashSaleUpdated");
        await viewer.JoinRoomAsync(room.Id);

        (await scenario.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id })).EnsureSuccessStatusCode();
        var pin = await pinned.WaitAsync(p => p.Id == product.Id, what: "ProductPinned");
        Assert.Equal(room.Id, pin.RoomId);

        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 5, perUserLimit: 2);
        await using var buyer = await server.ConnectClientAsync(server.Token($"buyer-room-ids-{protocol}"), protocol);
        await buyer.BuyNowAsync(sale.Id, 1);
        var progress = await updated.WaitAsync(p => p.SaleId == sale.Id, TimeSpan.FromSeconds(30), "FlashSaleUpdated");
        Assert.Equal(room.Id, progress.RoomId);

        // Outside a room event the product has no roomId: absent, not null.
        using var rest = JsonDocument.Parse(await scenario.Host.GetStringAsync($"/api/products/{product.Id}"));
        Assert.False(rest.RootElement.TryGetProperty("roomId", out _));
    }
}
