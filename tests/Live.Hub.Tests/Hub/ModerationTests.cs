using System.Net;
using System.Net.Http.Json;
using Live.Contracts.Carts;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using Live.Hub.Realtime;
using Live.Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Hub.Tests.Hub;

/// <summary>The host and assigned moderators keep a room clean: delete, mute, ban, slow mode, blocked words.</summary>
[Collection(ServerCollection.Name)]
public sealed class ModerationTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    private async Task<(HostScenario Host, Room Room, HttpClient Moderator)> RoomWithModeratorAsync(string name)
    {
        var host = new HostScenario(Server, $"host-{name}");
        var room = await host.CreateRoomAsync();
        (await host.Host.PutAsync($"/api/rooms/{room.Id}/moderators/mod-{name}", null)).EnsureSuccessStatusCode();
        return (host, room, Server.Client(Server.Token($"mod-{name}", "moderator")));
    }

    [Fact]
    public async Task AModeratorDeletesAMessageAndTheRoomIsTold()
    {
        var (_, room, moderator) = await RoomWithModeratorAsync("del");
        await using var viewer = await Server.ConnectAsync(Server.Token("troll-del"));
        var deleted = new EventProbe<ChatDeletion>(viewer, nameof(ILiveClient.ChatDeleted));
        var chat = new EventProbe<ChatMessage[]>(viewer, nameof(ILiveClient.ChatBatch));
        await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        var message = await viewer.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), room.Id, "fake reviews here");
        await chat.WaitAsync(b => b.Any(m => m.Id == message.Id), what: "the message before deletion");

        Assert.Equal(HttpStatusCode.NoContent, (await moderator.DeleteAsync($"/api/rooms/{room.Id}/chat/{message.Id}")).StatusCode);
        Assert.Equal(new ChatDeletion(room.Id, message.Id), await deleted.WaitAsync(what: "the deletion") with { Seq = null });
        Assert.Empty((await (await Server.Http.GetAsync($"/api/rooms/{room.Id}")).ReadAsync<RoomSnapshot>()).RecentChat);

        // Deleting it again (a retry, another moderator) finds it gone: done, not unknown. A message never sent is.
        Assert.Equal(HttpStatusCode.NoContent, (await moderator.DeleteAsync($"/api/rooms/{room.Id}/chat/{message.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await moderator.DeleteAsync($"/api/rooms/{room.Id}/chat/msg_never_sent")).StatusCode);
    }

    [Fact]
    public async Task OnlyTheHostAndAssignedModeratorsModerate()
    {
        var (host, room, _) = await RoomWithModeratorAsync("who");
        var unassigned = Server.Client(Server.Token("mod-elsewhere", "moderator"));
        var viewer = Server.Client(Server.Token("viewer-who"));
        var otherHost = Server.Client(Server.Token("host-other-who", "host"));

        Assert.Equal(HttpStatusCode.Forbidden, (await unassigned.PostAsJsonAsync($"/api/rooms/{room.Id}/bans", new { userId = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync($"/api/rooms/{room.Id}/bans", new { userId = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await otherHost.PutAsJsonAsync($"/api/rooms/{room.Id}/slow-mode", new { seconds = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Server.Client(null).PostAsJsonAsync($"/api/rooms/{room.Id}/mutes", new { userId = "x", durationSeconds = 5 })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Server.Client(Server.Token("mod-who", "moderator")).PutAsync($"/api/rooms/{room.Id}/moderators/mod-x", null)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await host.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/bans", new { userId = host.HostId })).StatusCode);

        var view = await (await host.Host.GetAsync($"/api/rooms/{room.Id}/moderation")).ReadAsync<ModerationView>();
        Assert.Equal(["mod-who"], view.Moderators);
        Assert.Empty(view.Banned);
        Assert.Equal(0, view.SlowModeSeconds);
    }

    [Fact]
    public async Task MutedUsersCannotChatUntilUnmuted()
    {
        var (_, room, moderator) = await RoomWithModeratorAsync("mute");
        await using var viewer = await Server.ConnectAsync(Server.Token("loud"));
        await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);

        (await moderator.PostAsJsonAsync($"/api/rooms/{room.Id}/mutes", new { userId = "loud", durationSeconds = 600 })).EnsureSuccessStatusCode();
        Assert.StartsWith("forbidden: you are muted", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), room.Id, "let me speak")));
        Assert.Equal(HttpStatusCode.BadRequest, (await moderator.PostAsJsonAsync($"/api/rooms/{room.Id}/mutes", new { userId = "loud", durationSeconds = -1 })).StatusCode);

        // A mute of 0 s, or a body without the duration (a misspelt field), is refused: it would read as "unmute".
        Assert.Equal(HttpStatusCode.BadRequest, (await moderator.PostAsJsonAsync($"/api/rooms/{room.Id}/mutes", new { userId = "loud", durationSeconds = 0 })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await moderator.PostAsJsonAsync($"/api/rooms/{room.Id}/mutes", new { userId = "loud", duration = 600 })).StatusCode);
        Assert.StartsWith("forbidden: you are muted", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), room.Id, "still muted?")));

        (await moderator.DeleteAsync($"/api/rooms/{room.Id}/mutes/loud")).EnsureSuccessStatusCode();
        Assert.Equal("thanks", (await viewer.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), room.Id, "thanks")).Text);
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task ABannedUserCannotBuyFromTheRoomsSalesNorAddToCartFromItUntilUnbanned(WireProtocol protocol)
    {
        var (host, room, moderator) = await RoomWithModeratorAsync($"buy-{protocol}");
        var product = await host.CreateProductAsync();
        var before = await host.StartSaleAsync(room.Id, product.Id, quantity: 10, perUserLimit: 5);
        var buyer = $"bot-buy-{protocol}";
        await using var viewer = await Server.ConnectAsync(Server.Token(buyer), protocol);
        Assert.Equal(PurchaseStatus.Confirmed, (await viewer.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNow), before.Id, 1, "r1")).Status);

        (await moderator.PostAsJsonAsync($"/api/rooms/{room.Id}/bans", new { userId = buyer })).EnsureSuccessStatusCode();
        var after = await host.StartSaleAsync(room.Id, product.Id, quantity: 10, perUserLimit: 5);

        // Both the sale open at the ban (told by the room) and the one opened after it (handed the banned set).
        Assert.StartsWith("forbidden: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNow), before.Id, 1, "r2")));
        Assert.StartsWith("forbidden: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNow), after.Id, 1, "r3")));
        Assert.StartsWith("forbidden: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<Cart>(nameof(LiveHub.AddToCart), product.Id, 1, room.Id)));

        // A request answered before the ban keeps its answer; the refusals changed nothing.
        Assert.Equal(PurchaseStatus.Confirmed, (await viewer.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNow), before.Id, 1, "r1")).Status);
        Assert.Equal(9, (await Server.Http.GetAsync($"/api/flash-sales/{before.Id}").ReadAsync<FlashSale>()).Remaining);
        Assert.Equal(10, (await Server.Http.GetAsync($"/api/flash-sales/{after.Id}").ReadAsync<FlashSale>()).Remaining);
        Assert.Empty((await Server.Client(Server.Token(buyer)).GetAsync("/api/cart").ReadAsync<Cart>()).Items);

        (await moderator.DeleteAsync($"/api/rooms/{room.Id}/bans/{buyer}")).EnsureSuccessStatusCode();
        Assert.Equal(PurchaseStatus.Confirmed, (await viewer.InvokeAsync<PurchaseResult>(nameof(LiveHub.BuyNow), after.Id, 1, "r4")).Status);
        Assert.Equal(room.Id, Assert.Single((await viewer.InvokeAsync<Cart>(nameof(LiveHub.AddToCart), product.Id, 1, room.Id)).Items).RoomId);
    }

    [Fact]
    public async Task BannedUsersLeaveTheRoomOnEveryConnectionAndCannotComeBack()
    {
        var (host, room, moderator) = await RoomWithModeratorAsync("ban");
        await using var phone = await Server.ConnectAsync(Server.Token("bot-ban"));
        await using var laptop = await Server.ConnectAsync(Server.Token("bot-ban"), WireProtocol.MessagePack);
        await using var bystander = await Server.ConnectAsync(Server.Token("nice-ban"));
        var removedPhone = new EventProbe<RoomRemoval>(phone, nameof(ILiveClient.RemovedFromRoom));
        var removedLaptop = new EventProbe<RoomRemoval>(laptop, nameof(ILiveClient.RemovedFromRoom));
        var phoneChat = new EventProbe<ChatMessage[]>(phone, nameof(ILiveClient.ChatBatch));
        var bystanderChat = new EventProbe<ChatMessage[]>(bystander, nameof(ILiveClient.ChatBatch));
        foreach (var connection in new[] { phone, laptop, bystander })
        {
            await connection.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        }

        (await moderator.PostAsJsonAsync($"/api/rooms/{room.Id}/bans", new { userId = "bot-ban" })).EnsureSuccessStatusCode();
        Assert.Equal(new RoomRemoval(room.Id, "banned"), await removedPhone.WaitAsync(what: "the ban on the phone"));
        Assert.Equal(new RoomRemoval(room.Id, "banned"), await removedLaptop.WaitAsync(what: "the ban on the laptop"));

        Assert.StartsWith("forbidden: ", await HubErrors.RefusalAsync(() => phone.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), room.Id, "spam")));
        Assert.StartsWith("forbidden: you are banned", await HubErrors.RefusalAsync(() => phone.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id)));

        // The room goes on without them: the bystander hears the host, the banned phone does not.
        await using var hostConnection = await Server.ConnectAsync(Server.Token(host.HostId, "host"));
        await hostConnection.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        var announcement = await hostConnection.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), room.Id, "welcome back everyone");
        await bystanderChat.WaitAsync(b => b.Any(m => m.Id == announcement.Id), what: "the host's message");
        Assert.DoesNotContain(phoneChat.Drain().SelectMany(b => b), m => m.Id == announcement.Id);

        (await moderator.DeleteAsync($"/api/rooms/{room.Id}/bans/bot-ban")).EnsureSuccessStatusCode();
        Assert.Equal(room.Id, (await phone.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id)).Room.Id);
    }

    [Fact]
    public async Task SlowModeAndBlockedWordsApplyToViewersButNotTheHost()
    {
        var (host, room, moderator) = await RoomWithModeratorAsync("slow");
        (await moderator.PutAsJsonAsync($"/api/rooms/{room.Id}/slow-mode", new { seconds = 60 })).EnsureSuccessStatusCode();
        (await moderator.PutAsJsonAsync($"/api/rooms/{room.Id}/blocked-words", new { words = new[] { "FakeBrand", "scam" } })).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.BadRequest, (await moderator.PutAsJsonAsync($"/api/rooms/{room.Id}/slow-mode", new { seconds = 5000 })).StatusCode);

        // A body without `seconds` is refused, not read as 0 (off): slow mode stays on, as the second message shows.
        Assert.Equal(HttpStatusCode.BadRequest, (await moderator.PutAsJsonAsync($"/api/rooms/{room.Id}/slow-mode", new { secs = 0 })).StatusCode);

        await using var viewer = await Server.ConnectAsync(Server.Token("eager"));
        await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), room.Id, "this is a SCAM")));
        await viewer.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), room.Id, "first");
        Assert.StartsWith("rate_limited: slow mode", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), room.Id, "second")));

        await using var hostConnection = await Server.ConnectAsync(Server.Token(host.HostId, "host"));
        await hostConnection.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        await hostConnection.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), room.Id, "host one");
        await hostConnection.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), room.Id, "host two");

        var snapshot = await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        Assert.Equal(["first", "host one", "host two"], snapshot.RecentChat.Select(m => m.Text));
    }

    [Fact]
    public async Task AUserMayHoldOnlyAFewConnections()
    {
        var token = Server.Token("hoarder");
        var open = new List<HubConnection>();
        try
        {
            for (var i = 0; i < 5; i++)
            {
                open.Add(await Server.ConnectAsync(token));
            }

            var extra = await Server.ConnectAsync(token);
            open.Add(extra);
            var closed = new TaskCompletionSource<Exception?>();
            extra.Closed += e =>
            {
                closed.TrySetResult(e);
                return Task.CompletedTask;
            };
            if (extra.State != HubConnectionState.Disconnected)
            {
                await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
            }

            Assert.Equal(HubConnectionState.Disconnected, extra.State);
            Assert.Equal(HubConnectionState.Connected, open[0].State);
        }
        finally
        {
            foreach (var connection in open)
            {
                await connection.DisposeAsync();
            }
        }
    }
}
