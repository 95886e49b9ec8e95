using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using Live.Hub.Realtime;
using Live.Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Hub.Tests.Hub;

/// <summary>Issue 10, item 12: snapshots and sale events carry the server's clock, read by the .NET client in both protocols.</summary>
[Collection(ServerCollection.Name)]
public sealed class ServerTimeTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task SnapshotsAndSaleEventsCarryTheServersClock(WireProtocol protocol)
    {
        var scenario = new HostScenario(Server, $"host-clock-{protocol}");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        await using var viewer = await Server.ConnectAsync(Server.Token($"viewer-clock-{protocol}", "viewer", "Mei"), protocol);
        var started = new EventProbe<FlashSale>(viewer, nameof(ILiveClient.FlashSaleStarted));
        var updated = new EventProbe<FlashSaleProgress>(viewer, nameof(ILiveClient.FlashSaleUpdated));
        var ended = new EventProbe<FlashSale>(viewer, nameof(ILiveClient.FlashSaleEnded));

        var before = DateTimeOffset.UtcNow;
        var snapshot = await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        AssertWithin(snapshot.ServerTime, before, DateTimeOffset.UtcNow, "JoinRoom's snapshot");

        before = DateTimeOffset.UtcNow;
        var sale = await scenario.StartSaleAsync(room.Id, product.Id, quantity: 5, perUserLimit: 2);
        AssertWithin((await started.WaitAsync(what: "the new sale")).ServerTime, before, DateTimeOffset.UtcNow, "FlashSaleStarted");

        before = DateTimeOffset.UtcNow;
        await viewer.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNow), sale.Id, 1, "clock-1");
        AssertWithin((await updated.WaitAsync(p => p.Remaining == 4, what: "remaining 4")).ServerTime, before, DateTimeOffset.UtcNow, "FlashSaleUpdated");

        before = DateTimeOffset.UtcNow;
        var late = await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        var after = DateTimeOffset.UtcNow;
        AssertWithin(late.ServerTime, before, after, "the later snapshot");
        AssertWithin(Assert.Single(late.ActiveSales).ServerTime, before, after, "the sale in the snapshot");

        before = DateTimeOffset.UtcNow;
        await scenario.Host.PostAsync($"/api/flash-sales/{sale.Id}/end", null);
        AssertWithin((await ended.WaitAsync(what: "the sale's end")).ServerTime, before, DateTimeOffset.UtcNow, "FlashSaleEnded");

        before = DateTimeOffset.UtcNow;
        var read = await Server.Http.GetAsync($"/api/rooms/{room.Id}").ReadAsync<RoomSnapshot>();
        AssertWithin(read.ServerTime, before, DateTimeOffset.UtcNow, "GET /api/rooms/{id}");
    }

    /// <summary>The server and the test share this machine's clock, so the stamp falls between the two readings around the call.</summary>
    private static void AssertWithin(DateTimeOffset? serverTime, DateTimeOffset before, DateTimeOffset after, string what)
    {
        Assert.True(serverTime is not null, $"{what}: no serverTime");
        Assert.True(serverTime >= before && serverTime <= after, $"{what}: serverTime {serverTime:O} is not within {before:O} .. {after:O}");
    }
}
