using Live.Contracts;
using Live.Contracts.Carts;
using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Contracts.Rooms;
using Live.Grains.Tests.Infrastructure;

namespace Live.Grains.Tests.Failures;

/// <summary>
/// The calls a hub server sends again when their silo died before answering (retry-safe, docs/OPERATIONS.md
/// "Failover"): sent twice, with the same arguments, each is done once and answered as the first, also by the next
/// activation (the first attempt's silo died after its write).
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class RetriedCallTests(ClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task AnAddToACartSentAgainWithItsIdAddsItsUnitsOnce()
    {
        var product = await Grains.CreateProductAsync(price: 10m);
        var cart = Grains.GetGrain<ICartGrain>(Ids.New("user"));
        var addId = Ids.New("add");

        var first = await cart.AddItemAsync(product.Id, 2, null, addId);
        Assert.Equal(2, Assert.Single(first.Items).Quantity);
        Assert.Equal(first.Items, (await cart.AddItemAsync(product.Id, 2, null, addId)).Items);

        // Stored with the units: the next activation knows it too.
        await fixture.Cluster.DeactivateAsync(cart);
        Assert.Equal(2, Assert.Single((await cart.AddItemAsync(product.Id, 2, null, addId)).Items).Quantity);

        // Another add (another id) adds; a malformed id is refused and adds nothing.
        Assert.Equal(5, Assert.Single((await cart.AddItemAsync(product.Id, 3, null, Ids.New("add"))).Items).Quantity);
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => cart.AddItemAsync(product.Id, 1, null, ""));
        Assert.Equal(5, Assert.Single((await cart.GetAsync()).Items).Quantity);
    }

    [Fact]
    public async Task AFlashSaleStartedAgainWithItsIdIsOneSaleThatTookItsStockOnce()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 100);
        var input = Scenario.SaleOf(product, quantity: 30);
        var saleId = Ids.New("sale");

        var sale = await room.StartFlashSaleAsync(hostId, input, saleId);
        Assert.Equal(saleId, sale.Id);
        Assert.Equal(sale, await room.StartFlashSaleAsync(hostId, input, saleId));

        // The room's first activation died after the sale started and before it listed it: the next one lists it
        // once, and the sale answers the room's repeat with itself.
        await fixture.Cluster.DeactivateAsync(room);
        Assert.Equal(sale, await room.StartFlashSaleAsync(hostId, input, saleId));
        Assert.Equal(sale, await Grains.GetGrain<IFlashSaleGrain>(saleId).StartAsync(hostId, roomId, product, input, []));

        Assert.Equal(70, await Grains.StockOfAsync(product.Id));
        Assert.Equal(sale, Assert.Single((await room.GetSnapshotAsync()).ActiveSales));
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Single(fixture.Events.EventsOf<FlashSaleStartedEvent>(roomId));

        // The id is the sale's: another room's host (or another product) cannot take it over.
        var (_, otherRoomId, otherHost) = await Grains.CreateLiveRoomAsync();
        await Scenario.RefusedAsync(
            ErrorCodes.Conflict,
            () => Grains.GetGrain<IFlashSaleGrain>(saleId).StartAsync(otherHost, otherRoomId, product, input, []));
    }

    [Fact]
    public async Task ADeletionOfAChatMessageSentAgainIsAnsweredAsTheFirstAndToldOnce()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var host = new Actor { UserId = hostId, IsModerator = false };
        var message = await room.SendChatAsync(Scenario.NewUser(), "delete me");
        await fixture.WaitForEarlierEventsAsync(room, roomId);

        Assert.True(await room.DeleteChatAsync(host, message.Id));
        Assert.True(await room.DeleteChatAsync(host, message.Id));
        await fixture.Cluster.DeactivateAsync(room);
        Assert.True(await room.DeleteChatAsync(host, message.Id));
        Assert.False(await room.DeleteChatAsync(host, "msg_never_sent"));

        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Single(fixture.Events.EventsOf<ChatDeletedEvent>(roomId), e => e.MessageId == message.Id);
    }

    [Fact]
    public async Task ModerationSentAgainLeavesTheSameSettingsAndTellsNoOneTwice()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var host = new Actor { UserId = hostId, IsModerator = false };
        var troll = Scenario.NewUser();
        var moderator = Ids.New("user");

        for (var attempt = 0; attempt < 2; attempt++)
        {
            await room.BanAsync(host, troll.UserId, banned: true);
            await room.AssignModeratorAsync(hostId, moderator, assigned: true);
            await room.SetSlowModeAsync(host, 5);
            await room.SetBlockedWordsAsync(host, ["fake"]);
        }

        var view = await room.GetModerationAsync(host);
        Assert.Equal([troll.UserId], view.Banned);
        Assert.Equal([moderator], view.Moderators);
        Assert.Equal(5, view.SlowModeSeconds);
        Assert.Equal(["fake"], view.BlockedWords);
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Single(fixture.Events.EventsOf<UserBannedEvent>(roomId));
    }
}
