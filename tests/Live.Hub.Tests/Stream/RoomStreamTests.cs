using System.Net.Http.Json;
using Live.Client.Streams;
using Live.Contracts.Rooms;
using Live.Hub.Realtime;
using Live.Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Hub.Tests.Stream;

/// <summary>Issue 12, items 1 to 3 through the public protocol: seq, epoch, <c>ResumeRoom</c> and the <c>JoinRoom</c> race.</summary>
[Collection(ServerCollection.Name)]
public sealed class RoomStreamTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AResumeAfterADisconnectDeliversEveryMissedEventOnceInOrder(WireProtocol protocol)
    {
        var scenario = new HostScenario(Server, $"host-resume-{protocol}");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        await using var alice = await ChatterAsync(room.Id, $"alice-resume-{protocol}", protocol);
        await using var bob = await ChatterAsync(room.Id, $"bob-resume-{protocol}", protocol);

        // The typed client's room stream (Live.Client), across two connections of the viewer.
        var seen = new RoomRecorder();
        var token = Server.Token($"viewer-resume-{protocol}");
        var first = await Server.ConnectClientAsync(token, protocol);
        var joined = await first.JoinRoomAsync(room.Id, seen.Attach);
        Assert.NotNull(joined.ResumePoint);

        var before = await SendAsync(alice, room.Id, "before the drop");
        await seen.Chat.WaitAsync(m => m.Id == before, what: "the message before the drop");
        var left = joined.ResumePoint!;
        await first.DisposeAsync();

        // While the viewer is away: chat, a pin, more chat, an unpin.
        List<string> away = [await SendAsync(alice, room.Id, "away 1"), await SendAsync(bob, room.Id, "away 2")];
        (await scenario.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id })).EnsureSuccessStatusCode();
        away.Add(await SendAsync(bob, room.Id, "away 3"));
        (await scenario.Host.DeleteAsync($"/api/rooms/{room.Id}/pin")).EnsureSuccessStatusCode();
        away.Add(await SendAsync(alice, room.Id, "away 4"));

        await using var second = await Server.ConnectClientAsync(token, protocol);
        var resumed = await second.ResumeRoomAsync(room.Id, left, seen.Attach);
        Assert.Equal(left.Epoch, resumed.ResumePoint!.Epoch);

        var after = await SendAsync(bob, room.Id, "after the resume");
        await seen.Chat.WaitAsync(m => m.Id == after, what: "the message after the resume");

        var chat = seen.Chat.Items;
        Assert.Equal([before, .. away, after], chat.Select(m => m.Id));
        var pin = Assert.Single(seen.Pinned.Items);
        var unpin = Assert.Single(seen.Unpinned.Items);
        Assert.Equal(product.Id, pin.Id);
        Assert.True(chat.Single(m => m.Id == away[1]).Seq < pin.Seq && pin.Seq < chat.Single(m => m.Id == away[2]).Seq);
        Assert.True(chat.Single(m => m.Id == away[2]).Seq < unpin.Seq && unpin.Seq < chat.Single(m => m.Id == away[3]).Seq);

        // Resumed, not started again: one snapshot (the join's), no gap, nothing twice.
        Assert.Single(seen.Snapshots.Items);
        Assert.Equal(0, joined.Gaps + resumed.Gaps);
        Assert.Equal(chat.Count, chat.Select(m => m.Seq).Distinct().Count());
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AResumeWithAnotherEpochAnswersTheSnapshotAndJoinsTheRoom(WireProtocol protocol)
    {
        var room = await new HostScenario(Server, $"host-epoch-{protocol}").CreateRoomAsync();
        await using var alice = await ChatterAsync(room.Id, $"alice-epoch-{protocol}", protocol);
        var earlier = await SendAsync(alice, room.Id, "said before");

        // Anonymous: the snapshot's chat is pseudonymous as JoinRoom's is.
        await using var connection = await Server.ConnectAsync(protocol: protocol);
        var answer = await connection.InvokeAsync<RoomResume>(nameof(LiveHub.ResumeRoom), room.Id, "ep_not_this_room", 3L);

        Assert.False(answer.Resumed);
        Assert.Null(answer.Events);
        Assert.NotNull(answer.Snapshot);
        Assert.NotEqual("ep_not_this_room", answer.Epoch);
        Assert.Equal(answer.Epoch, answer.Snapshot.Epoch);
        Assert.Equal(answer.Seq, answer.Snapshot.Seq);
        var shown = Assert.Single(answer.Snapshot.RecentChat);
        Assert.Equal(earlier, shown.Id);
        Assert.StartsWith("anon-", shown.UserId);
        Assert.NotNull(answer.Snapshot.ServerTime);

        // Joined: the next event reaches it, numbered after the snapshot.
        var chat = new EventProbe<ChatMessage[]>(connection, nameof(ILiveClient.ChatBatch));
        var later = await SendAsync(alice, room.Id, "said after");
        var batch = await chat.WaitAsync(b => b.Any(m => m.Id == later), what: "the message after the resume");
        Assert.True(batch.Single(m => m.Id == later).Seq > answer.Seq);

        // Resumed from there by another anonymous connection: the chat in the answer's events is pseudonymous too (the
        // window holds minutes of chat, more history than a snapshot's).
        await using var anonymous = await Server.ConnectClientAsync(null, protocol);
        var resumed = await anonymous.InvokeResumeRoomAsync(room.Id, answer.Epoch, answer.Seq);
        Assert.True(resumed.Resumed);
        var message = Assert.Single(resumed.Events!.SelectMany(RoomEventDecoder.Items).Select(i => i.Data).OfType<Live.Client.Models.ChatMessage>());
        Assert.Equal(later, message.Id);
        Assert.StartsWith("anon-", message.UserId);
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AResumeOlderThanTheWindowAnswersTheSnapshot(WireProtocol protocol)
    {
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string?>
        {
            ["Rooms:RetainedEvents"] = "3",
            ["Rooms:RetainedFor"] = "00:00:00",
            ["Rooms:MaxRetainedEvents"] = "3",
        });
        var room = await new HostScenario(server, "host-window").CreateRoomAsync();
        await using var alice = await server.ConnectAsync(server.Token("alice-window"), protocol);
        await alice.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        await using var bob = await server.ConnectAsync(server.Token("bob-window"), protocol);
        await bob.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        await using var viewer = await server.ConnectAsync(server.Token("viewer-window"), protocol);
        var chat = new EventProbe<ChatMessage[]>(viewer, nameof(ILiveClient.ChatBatch));
        var joined = await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);

        List<string> said = [];
        for (var i = 0; i < 4; i++)
        {
            said.Add(await SendAsync(alice, room.Id, $"alice {i}"));
            said.Add(await SendAsync(bob, room.Id, $"bob {i}"));
        }

        // Sent, not only accepted: the room retains what it has sent (chat still waiting for its batch is answered too).
        await chat.WaitAsync(b => b.Any(m => m.Id == said[^1]), what: "the last message");

        var answer = await viewer.InvokeAsync<RoomResume>(nameof(LiveHub.ResumeRoom), room.Id, joined.Epoch, joined.Seq);
        Assert.False(answer.Resumed);
        Assert.Null(answer.Events);
        Assert.Equal(said, answer.Snapshot!.RecentChat.Select(m => m.Id));
        Assert.Equal(answer.Seq, answer.Snapshot.Seq);

        // From the snapshot's seq the room has everything: nothing missed.
        var again = await viewer.InvokeAsync<RoomResume>(nameof(LiveHub.ResumeRoom), room.Id, answer.Epoch, answer.Seq);
        Assert.True(again.Resumed);
        Assert.Empty(again.Events!);
        Assert.Null(again.Snapshot);
    }

    [Fact]
    public async Task ResumeRefusesWhatJoinRoomRefuses()
    {
        var scenario = new HostScenario(Server, "host-resume-refusals");
        var room = await scenario.CreateRoomAsync();
        await using var viewer = await Server.ConnectAsync(Server.Token("viewer-resume-refusals"));
        var joined = await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);

        Assert.StartsWith("invalid_argument: ", await Refused(viewer, "bad id", joined.Epoch, 1L));
        Assert.StartsWith("invalid_argument: ", await Refused(viewer, room.Id, "", 1L));
        Assert.StartsWith("invalid_argument: ", await Refused(viewer, room.Id, null, 1L));
        Assert.StartsWith("invalid_argument: ", await Refused(viewer, room.Id, joined.Epoch, -1L));
        Assert.StartsWith("not_found: ", await Refused(viewer, "room_missing", joined.Epoch, 1L));

        (await scenario.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/bans", new { userId = "viewer-resume-refusals" })).EnsureSuccessStatusCode();
        await using var again = await Server.ConnectAsync(Server.Token("viewer-resume-refusals"));
        Assert.StartsWith("forbidden: ", await Refused(again, room.Id, joined.Epoch, joined.Seq!.Value));

        static Task<string> Refused(HubConnection connection, string roomId, string? epoch, long seq) =>
            HubErrors.RefusalAsync(() => connection.InvokeAsync<RoomResume>(nameof(LiveHub.ResumeRoom), roomId, epoch, seq));
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task ViewersJoiningWhileChatFlowsSeeEachMessageExactlyOnce(WireProtocol protocol)
    {
        const int Chatters = 8;
        const int PerChatter = 5;
        const int Viewers = 16;
        var room = await new HostScenario(Server, $"host-race-{protocol}").CreateRoomAsync();
        var chatters = new List<HubConnection>();
        var viewers = new List<(Live.Client.LiveClient Client, RoomRecorder Seen)>();
        try
        {
            for (var c = 0; c < Chatters; c++)
            {
                chatters.Add(await ChatterAsync(room.Id, $"chatter-race-{protocol}-{c}", protocol));
            }

            for (var v = 0; v < Viewers; v++)
            {
                viewers.Add((await Server.ConnectClientAsync(Server.Token($"viewer-race-{protocol}-{v}"), protocol), new RoomRecorder()));
            }

            // Every chatter sends its burst while every viewer joins (the typed client's JoinRoom).
            var chat = chatters.Select(async (c, i) =>
            {
                var ids = new List<string>();
                for (var m = 0; m < PerChatter; m++)
                {
                    ids.Add(await SendAsync(c, room.Id, $"chatter {i} line {m}"));
                }

                return ids;
            }).ToArray();
            var joins = viewers.Select(v => v.Client.JoinRoomAsync(room.Id, v.Seen.Attach)).ToArray();
            var sent = (await Task.WhenAll(chat)).SelectMany(ids => ids).ToHashSet();
            var rooms = await Task.WhenAll(joins);

            for (var v = 0; v < Viewers; v++)
            {
                var seen = viewers[v].Seen;
                var snapshot = Assert.Single(seen.Snapshots.Items);
                var shown = snapshot.RecentChat.Select(m => m.Id).ToHashSet();
                await seen.Chat.WaitUntilAsync(
                    items => sent.IsSubsetOf(shown.Concat(items.Select(m => m.Id))),
                    "every message, in the snapshot or live after it");
                var live = seen.Chat.Items.Select(m => m.Id).ToList();
                Assert.Equal(live.Count, live.Distinct().Count());
                Assert.Empty(live.Intersect(shown));
                Assert.Equal(0, rooms[v].Gaps);
            }
        }
        finally
        {
            foreach (var connection in chatters)
            {
                await connection.DisposeAsync();
            }

            foreach (var (client, _) in viewers)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task RoomEventsCarryTheirSeqAndRestAnswersCarryNone(WireProtocol protocol)
    {
        var scenario = new HostScenario(Server, $"host-seq-{protocol}");
        var product = await scenario.CreateProductAsync();
        var room = await scenario.CreateRoomAsync();
        await using var viewer = await Server.ConnectAsync(Server.Token($"viewer-seq-{protocol}"), protocol);
        var pinned = new EventProbe<Live.Contracts.Catalog.Product>(viewer, nameof(ILiveClient.ProductPinned));
        var joined = await viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);

        var pinResponse = await scenario.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/pin", new { productId = product.Id });
        var live = await pinned.WaitAsync(what: "the pin");

        Assert.Equal(joined.Seq + 1, live.Seq);
        var rest = await pinResponse.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"seq\"", rest);
        Assert.DoesNotContain("\"epoch\"", rest);
        var read = await Server.Http.GetStringAsync($"/api/rooms/{room.Id}");
        Assert.DoesNotContain("\"seq\"", read);
        Assert.DoesNotContain("\"epoch\"", read);
    }

    private async Task<HubConnection> ChatterAsync(string roomId, string userId, WireProtocol protocol)
    {
        var connection = await Server.ConnectAsync(Server.Token(userId), protocol);
        await connection.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), roomId);
        return connection;
    }

    private static async Task<string> SendAsync(HubConnection chatter, string roomId, string text) =>
        (await chatter.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), roomId, text)).Id;
}
