using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Live.Hub.Realtime;
using Live.Hub.Tests.Infrastructure;

namespace Live.Hub.Tests.Protocol;

/// <summary>
/// Issue 10, item 11, tried as the issue did: a JSON and a MessagePack client of the raw wire (no .NET contract types)
/// in the same room, as the same user, receiving the same events; MessagePack must carry JSON's field names.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class MessagePackWireTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Fact]
    public async Task MessagePackFramesCarryTheSameFieldsAndValuesAsJson()
    {
        var scenario = new HostScenario(Server, "host-wire");
        var product = await scenario.CreateProductAsync(price: 129.90m);
        var room = await scenario.CreateRoomAsync();
        var hub = new Uri(Server.BaseUri, LiveHubExtensions.HubPath);
        var token = Server.Token("viewer-wire", "viewer", "Mei");
        await using var json = await RawHubClient.ConnectAsync(hub, token, WireProtocol.Json);
        await using var pack = await RawHubClient.ConnectAsync(hub, token, WireProtocol.MessagePack);

        // Snapshots are separate answers (the viewer count may move between them): same fields, not same values.
        WireJson.AssertSameShape(await json.InvokeAsync(nameof(LiveHub.JoinRoom), room.Id), await pack.InvokeAsync(nameof(LiveHub.JoinRoom), room.Id), "JoinRoom (empty room)");

        await scenario.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id });
        await AssertSameEventAsync(json, pack, nameof(ILiveClient.ProductPinned));

        var sent = await json.InvokeAsync(nameof(LiveHub.SendChat), room.Id, "hello from the wire");
        WireJson.AssertSameShape(sent, await pack.InvokeAsync(nameof(LiveHub.SendChat), room.Id, "and from MessagePack"), "SendChat");
        await AssertSameEventAsync(json, pack, nameof(ILiveClient.ChatBatch), b => b!.AsArray().Any(m => (string?)m!["text"] == "and from MessagePack"));

        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 10, perUserLimit: 2, price: 59.90m);
        await AssertSameEventAsync(json, pack, nameof(ILiveClient.FlashSaleStarted));

        var bought = await json.InvokeAsync(nameof(LiveHub.BuyNow), sale.Id, 1, "wire-json");
        WireJson.AssertSameShape(bought, await pack.InvokeAsync(nameof(LiveHub.BuyNow), sale.Id, 1, "wire-pack"), "BuyNow");
        Assert.False(bought!.AsObject().ContainsKey("order"), "a v1 BuyNow answer has no order field (v1.6's field is BuyNowWithOrder's alone)");
        var refused = await json.InvokeAsync(nameof(LiveHub.BuyNow), sale.Id, 1, "wire-json-2");
        Assert.Equal("limitExceeded", (string?)refused!["status"]);
        WireJson.AssertSameShape(refused, await pack.InvokeAsync(nameof(LiveHub.BuyNow), sale.Id, 1, "wire-pack-2"), "BuyNow refused (null orderId)");

        // Both purchases confirm to both connections of the buyer.
        await AssertSameEventAsync(json, pack, nameof(ILiveClient.PurchaseConfirmed), o => (string?)o!["id"] == (string?)bought!["orderId"]);
        await AssertSameEventAsync(json, pack, nameof(ILiveClient.FlashSaleUpdated), p => (int?)p!["remaining"] == 8);

        // A late snapshot has everything in it: the pinned product, the sale, the chat.
        var full = await json.InvokeAsync(nameof(LiveHub.JoinRoom), room.Id);
        Assert.NotNull(full!["pinnedProduct"]);
        Assert.Single(full["activeSales"]!.AsArray());
        WireJson.AssertSameShape(full, await pack.InvokeAsync(nameof(LiveHub.JoinRoom), room.Id), "JoinRoom (live room)");

        await scenario.Host.PostAsync($"/api/flash-sales/{sale.Id}/end", null);
        await AssertSameEventAsync(json, pack, nameof(ILiveClient.FlashSaleEnded));
    }

    /// <summary>One group send serialized for each protocol: the same fields and the same values.</summary>
    private static async Task AssertSameEventAsync(RawHubClient json, RawHubClient pack, string target, Func<JsonNode?, bool>? match = null)
    {
        var fromJson = await json.EventAsync(target, match, "over JSON");
        var fromPack = await pack.EventAsync(target, match, "over MessagePack");
        Assert.NotNull(fromJson);
        WireJson.AssertSameShape(fromJson, fromPack, target, sameValues: true);
    }
}
