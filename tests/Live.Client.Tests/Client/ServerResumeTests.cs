using System.Net.Http.Json;
using Live.Client.Models;
using Live.Client.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;

namespace Live.Client.Tests.Client;

/// <summary>
/// The room event stream end to end (PROTOCOL.md v1.3): these need the server's seq, epoch and <c>ResumeRoom</c>, and
/// fail against a server without them (a snapshot without <c>seq</c> is the first assertion to fail).
/// </summary>
[Collection(ClientServerCollection.Name)]
public sealed class ServerResumeTests(ClientServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AViewerWhoseConnectionDroppedGetsEveryMissedMessageOnceInOrder(WireProtocol protocol)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var room = await scenario.CreateRoomAsync();
        var userId = $"fay-{id}";
        await using var viewer = await Server.ConnectClientAsync(Server.Token(userId, "viewer", "Fay"), protocol);
        var seen = new RoomRecorder();
        var reconnected = new EventProbe<bool>("Reconnected");
        viewer.Reconnected += () => reconnected.Record(true);
        var joined = await viewer.JoinRoomAsync(room.Id, seen.Attach);
        Assert.NotNull(joined.ResumePoint);

        // Twelve chatters (chat allows a burst of 5 each) and one for before and after: 60 messages while the viewer is away, more than the 50 a
        // snapshot carries, so only the resume can give them all.
        var chatters = new List<LiveRoom>();
        var clients = new List<LiveClient>();
        try
        {
            for (var i = 0; i < 13; i++)
            {
                var chatter = await Server.ConnectClientAsync(Server.Token($"c{i}-{id}", "viewer", $"C{i}"), protocol);
                clients.Add(chatter);
                chatters.Add(await chatter.JoinRoomAsync(room.Id));
            }

            var sent = new List<ChatMessage> { await chatters[12].SendChatAsync("before") };
            await seen.Chat.WaitAsync(m => m.Id == sent[0].Id, what: "the message before the drop");

            fixture.Faults.Block();
            try
            {
                Assert.Equal(1, await fixture.Faults.DropAsync(userId));
                for (var n = 0; n < 60; n++)
                {
                    sent.Add(await chatters[n % 12].SendChatAsync($"while away {n}"));
                }
            }
            finally
            {
                fixture.Faults.Unblock();
            }

            await reconnected.WaitAsync(timeout: TimeSpan.FromSeconds(20), what: "the reconnect");
            sent.Add(await chatters[12].SendChatAsync("after"));

            await seen.Chat.WaitUntilAsync(items => items.Any(m => m.Id == sent[^1].Id), "the message after the reconnect", TimeSpan.FromSeconds(30));
            Assert.Equal(sent.Select(m => m.Id), seen.Chat.Items.Select(m => m.Id));
            Assert.Equal(1, joined.Resets); // resumed, not started again from a snapshot
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AViewerBannedWhileItsConnectionWasDownIsToldItWasRemovedWhenItComesBack(WireProtocol protocol)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var room = await scenario.CreateRoomAsync();
        var userId = $"gus-{id}";
        await using var viewer = await Server.ConnectClientAsync(Server.Token(userId, "viewer", "Gus"), protocol);
        var reconnected = new EventProbe<bool>("Reconnected");
        viewer.Reconnected += () => reconnected.Record(true);
        var removed = new EventProbe<RoomRemoval>("Removed");
        var failed = new EventProbe<Exception>("Failed");
        await viewer.JoinRoomAsync(room.Id, r =>
        {
            r.Removed += removed.Record;
            r.Failed += failed.Record;
        });

        // Banned while no connection of theirs is up: the server's RemovedFromRoom reaches nobody.
        fixture.Faults.Block();
        try
        {
            Assert.Equal(1, await fixture.Faults.DropAsync(userId));
            (await scenario.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/bans", new { userId })).EnsureSuccessStatusCode();
        }
        finally
        {
            fixture.Faults.Unblock();
        }

        // Back, the room's resume is refused (forbidden): the app hears it was removed, as if the event had come.
        await reconnected.WaitAsync(timeout: TimeSpan.FromSeconds(20), what: "the reconnect");
        var removal = await removed.WaitAsync(timeout: TimeSpan.FromSeconds(20), what: "the removal, after the refused resume");
        Assert.Equal((room.Id, LiveRoom.BannedReason), (removal.RoomId, removal.Reason));
        await failed.WaitAsync(e => e is LiveProtocolException { Code: LiveErrorCodes.Forbidden }, what: "the refusal, as Failed");
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public Task ACatchUpAnsweredUnavailableAfterAReconnectIsAskedAgainAndMissesNothing(WireProtocol protocol) =>
        CatchUpFailedOnceAsync(
            protocol,
            // As when the room's silo is lost past the hub's retries.
            userId => fixture.Faults.AnswerNextUnavailable(userId, LiveHubNames.ResumeRoom),
            failure => Assert.Equal(LiveErrorCodes.Unavailable, Assert.IsType<LiveProtocolException>(failure).Code));

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public Task ACatchUpThatFailsOnTheServerWithoutACodeIsAskedAgainAndMissesNothing(WireProtocol protocol) =>
        CatchUpFailedOnceAsync(
            protocol,
            // An exception the server did not map: SignalR answers "An unexpected error occurred invoking ...", no code.
            userId => fixture.Faults.AnswerNextUnexpectedError(userId, LiveHubNames.ResumeRoom),
            failure => Assert.DoesNotContain("HubException: ", Assert.IsType<HubException>(failure).Message, StringComparison.Ordinal));

    /// <summary>
    /// The reconnect's <c>ResumeRoom</c> fails once as <paramref name="failNext"/> makes it: the room reports it and asks
    /// again after a pause, instead of waiting for the next reconnect with its events held, and misses nothing.
    /// </summary>
    private async Task CatchUpFailedOnceAsync(WireProtocol protocol, Action<string> failNext, Action<Exception> assertFailure)
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var room = await new HostScenario(Server, $"host-{id}").CreateRoomAsync();
        var userId = $"gus-{id}";
        await using var viewer = await Server.ConnectClientAsync(Server.Token(userId, "viewer", "Gus"), protocol);
        await using var chatterClient = await Server.ConnectClientAsync(Server.Token($"chat-{id}", "viewer", "Chatter"), protocol);
        var seen = new RoomRecorder();
        var failed = new EventProbe<Exception>("Failed");
        var joined = await viewer.JoinRoomAsync(room.Id, r =>
        {
            seen.Attach(r);
            r.Failed += failed.Record;
        });
        var chatter = await chatterClient.JoinRoomAsync(room.Id);
        var sent = new List<ChatMessage> { await chatter.SendChatAsync("before") };
        await seen.Chat.WaitAsync(m => m.Id == sent[0].Id, what: "the message before the drop");

        failNext(userId);
        fixture.Faults.Block();
        try
        {
            Assert.Equal(1, await fixture.Faults.DropAsync(userId));
            for (var n = 0; n < 3; n++)
            {
                sent.Add(await chatter.SendChatAsync($"while away {n}"));
            }
        }
        finally
        {
            fixture.Faults.Unblock();
        }

        assertFailure(await failed.WaitAsync(timeout: TimeSpan.FromSeconds(20), what: "the failed catch-up"));
        sent.Add(await chatter.SendChatAsync("after"));

        await seen.Chat.WaitUntilAsync(items => items.Any(m => m.Id == sent[^1].Id), "the message after the catch-up", TimeSpan.FromSeconds(30));
        Assert.Equal(sent.Select(m => m.Id), seen.Chat.Items.Select(m => m.Id));
        Assert.Equal(2, fixture.Faults.Invocations(userId, LiveHubNames.ResumeRoom));
        Assert.Equal(1, joined.Resets);
    }

    [Fact]
    public async Task APinInOneOfTwoRoomsOnAConnectionReachesThatRoomOnly()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        var scenario = new HostScenario(Server, $"host-{id}");
        var product = await scenario.CreateProductAsync();
        var first = await scenario.CreateRoomAsync();
        var second = await scenario.CreateRoomAsync();
        await using var viewer = await Server.ConnectClientAsync(Server.Token($"gus-{id}", "viewer", "Gus"));
        var inFirst = new RoomRecorder();
        var inSecond = new RoomRecorder();
        await viewer.JoinRoomAsync(first.Id, inFirst.Attach);
        var joinedSecond = await viewer.JoinRoomAsync(second.Id, inSecond.Attach);
        Assert.NotNull(joinedSecond.ResumePoint);

        // ProductPinned names no room: with two rooms on the connection the client places it through ResumeRoom.
        (await scenario.Host.PostAsJsonAsync($"/api/rooms/{second.Id}/pin", new { productId = product.Id })).EnsureSuccessStatusCode();
        Assert.Equal(product.Id, (await inSecond.Pinned.WaitAsync(what: "the pin in the second room")).Id);
        var marker = await joinedSecond.LikeAsync(1);
        await inSecond.Likes.WaitAsync(l => l.Likes == marker, what: "a later event of the second room");
        await inFirst.Viewers.WaitAsync(what: "an event of the first room");
        Assert.Empty(inFirst.Pinned.Items);
    }
}
