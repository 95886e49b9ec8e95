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

        // Two attempts in flight at once (the hub overlaps an unanswered attempt with the next): one add.
        var overlapping = Ids.New("add");
        await Task.WhenAll(cart.AddItemAsync(product.Id, 3, null, overlapping), cart.AddItemAsync(product.Id, 3, null, overlapping));
        Assert.Equal(5, Assert.Single((await cart.GetAsync()).Items).Quantity);

        // Another add (another id) adds; a malformed id is refused and adds nothing.
        Assert.Equal(6, Assert.Single((await cart.AddItemAsync(product.Id, 1, null, Ids.New("add"))).Items).Quantity);
        await Scenario.RefusedAsync(ErrorCodes.InvalidArgument, () => cart.AddItemAsync(product.Id, 1, null, ""));
        Assert.Equal(6, Assert.Single((await cart.GetAsync()).Items).Quantity);
    }

    [Fact]
    public async Task AFlashSaleStartedAgainWithItsIdIsOneSaleThatTookItsStockOnce()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 100);
        var input = Scenario.SaleOf(product, quantity: 30);
        var saleId = Ids.New("sale");

        var attempts = await Task.WhenAll(room.StartFlashSaleAsync(hostId, input, saleId), room.StartFlashSaleAsync(hostId, input, saleId));
        var sale = attempts[0];
        Assert.Equal(saleId, sale.Id);
        Assert.Equal(sale, attempts[1]);
        Assert.Equal(sale, await room.StartFlashSaleAsync(hostId, input, saleId));
        await fixture.Cluster.DeactivateAsync(room);
        Assert.Equal(sale, await room.StartFlashSaleAsync(hostId, input, saleId));

        Assert.Equal(70, await Grains.StockOfAsync(product.Id));
        Assert.Equal(sale, Assert.Single((await room.GetSnapshotAsync()).ActiveSales));
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Single(fixture.Events.EventsOf<FlashSaleStartedEvent>(roomId));

        // The id is the sale's: another room's host (or another product) cannot take it over.
        var (_, otherRoomId, otherHost) = await Grains.CreateLiveRoomAsync();
        await Scenario.RefusedAsync(
            ErrorCodes.Conflict,
            () => Grains.GetGrain<IFlashSaleGrain>(saleId).StartAsync(otherHost, otherRoomId, product, input, []));
        var otherProduct = await Grains.CreateProductAsync(owner: hostId);
        await Scenario.RefusedAsync(
            ErrorCodes.Conflict,
            () => Grains.GetGrain<IFlashSaleGrain>(saleId).StartAsync(hostId, roomId, otherProduct, Scenario.SaleOf(otherProduct), []));
    }

    [Fact]
    public async Task ASaleStartedByAFirstAttemptWhoseRoomDiedBeforeListingItIsListedOnceAndTakesTheRoomsBansSince()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 100);
        var input = Scenario.SaleOf(product, quantity: 30);
        var saleId = Ids.New("sale");
        var troll = Scenario.NewUser();

        // The first attempt's room activation started the sale and died before listing it (the room's own write is
        // what lists it). The next activation took a ban, which it could not tell a sale it does not list.
        var started = await Grains.GetGrain<IFlashSaleGrain>(saleId).StartAsync(hostId, roomId, product, input, []);
        await room.BanAsync(new Actor { UserId = hostId, IsModerator = false }, troll.UserId, banned: true);

        Assert.Equal(started, await room.StartFlashSaleAsync(hostId, input, saleId));
        Assert.Equal(started, Assert.Single((await room.GetSnapshotAsync()).ActiveSales));
        Assert.Equal(70, await Grains.StockOfAsync(product.Id));
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Single(fixture.Events.EventsOf<FlashSaleStartedEvent>(roomId));

        // The repeat brought the ban: the banned user cannot buy.
        await Scenario.RefusedAsync(ErrorCodes.Forbidden, () => Grains.GetGrain<IFlashSaleGrain>(saleId).BuyNowAsync(troll, 1, "r1"));
    }

    [Fact]
    public async Task ASaleStartedByAFirstAttemptAndOverBeforeTheRepeatIsNotListedAgain()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var product = await Grains.CreateProductAsync(owner: hostId, stock: 100);
        var input = Scenario.SaleOf(product, quantity: 30);
        var saleId = Ids.New("sale");
        var sale = Grains.GetGrain<IFlashSaleGrain>(saleId);

        await sale.StartAsync(hostId, roomId, product, input, []);
        var ended = await sale.EndAsync(hostId);
        Assert.Equal(ended, await sale.EndAsync(hostId));

        Assert.Equal(SaleStatus.Ended, (await room.StartFlashSaleAsync(hostId, input, saleId)).Status);
        Assert.Empty((await room.GetSnapshotAsync()).ActiveSales);
        Assert.Equal(100, await Grains.StockOfAsync(product.Id));
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Empty(fixture.Events.EventsOf<FlashSaleStartedEvent>(roomId));
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
    public async Task ModerationAndPinsSentAgainLeaveTheSameSettings()
    {
        var (room, roomId, hostId) = await Grains.CreateLiveRoomAsync();
        var host = new Actor { UserId = hostId, IsModerator = false };
        var product = await Grains.CreateProductAsync(owner: hostId);
        var troll = Scenario.NewUser();
        var chatty = Ids.New("user");
        var moderator = Ids.New("user");

        for (var attempt = 0; attempt < 2; attempt++)
        {
            await room.BanAsync(host, troll.UserId, banned: true);
            await room.MuteAsync(host, chatty, 600);
            await room.AssignModeratorAsync(hostId, moderator, assigned: true);
            await room.SetSlowModeAsync(host, 5);
            await room.SetBlockedWordsAsync(host, ["fake"]);
            await room.PinAsync(hostId, product.Id);
        }

        var view = await room.GetModerationAsync(host);
        Assert.Equal([troll.UserId], view.Banned);
        Assert.Equal([chatty], view.MutedUntil.Keys);
        Assert.Equal([moderator], view.Moderators);
        Assert.Equal(5, view.SlowModeSeconds);
        Assert.Equal(["fake"], view.BlockedWords);
        Assert.Equal(product.Id, (await room.GetSnapshotAsync()).PinnedProduct?.Id);
        await room.SetSlowModeAsync(host, 0); // the barrier below chats

        // A ban sent again is told again: its first attempt may have died after writing it and before the hub
        // servers took the user out (taking out someone already out does nothing).
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Equal(2, fixture.Events.EventsOf<UserBannedEvent>(roomId).Count);

        // Unpinning twice unpins once and tells the room once.
        await room.UnpinAsync(hostId);
        await room.UnpinAsync(hostId);
        Assert.Null((await room.GetSnapshotAsync()).PinnedProduct);
        await fixture.WaitForEarlierEventsAsync(room, roomId);
        Assert.Single(fixture.Events.EventsOf<ProductUnpinnedEvent>(roomId));
    }
}
