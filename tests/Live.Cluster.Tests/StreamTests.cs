using System.Net.Http.Json;
using Live.Client;
using Live.Cluster.Tests.Infrastructure;
using Live.Contracts.Rooms;

namespace Live.Cluster.Tests;

/// <summary>
/// Issue 12 across real processes (redis-server, a silo, two hub servers on the Redis backplane): a viewer resumes on
/// another hub server, and the viewers of one hub lose nothing when the hub that publishes for the backplane dies.
/// In JSON and in MessagePack: the events cross the Redis relay in the hub's own encoding and reach each viewer in
/// its protocol.
/// </summary>
public sealed class StreamTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AViewerResumesOnAnotherHubServerWithEveryMissedEventOnce(WireProtocol protocol)
    {
        await using var cluster = await LiveCluster.StartAsync(silos: 1, hubs: 2);
        try
        {
            var (hubA, hubB) = (cluster.Hubs[0].BaseUri, cluster.Hubs[1].BaseUri);
            var roomId = await LiveRoomAsync(cluster, hubA, "host-resume");
            await using var chatter = await JoinedAsync(cluster, hubB, "chatter-resume", roomId);

            // The typed client's room stream (Live.Client), on hub A then on hub B.
            var seen = new RoomRecorder();
            var token = cluster.Token("viewer-resume");
            var onA = new LiveClient(LiveCluster.Connection(hubA, token, protocol: protocol));
            await onA.StartAsync();
            var joined = await onA.JoinRoomAsync(roomId, seen.Attach);
            var before = await SayAsync(chatter, roomId, "before the move");
            await seen.Chat.WaitAsync(m => m.Id == before, TimeSpan.FromSeconds(30), "the message before the move");
            var left = joined.ResumePoint!;
            await onA.DisposeAsync();

            List<string> away = [];
            for (var i = 0; i < 4; i++)
            {
                away.Add(await SayAsync(chatter, roomId, $"while moving {i}"));
                await Task.Delay(TimeSpan.FromMilliseconds(600));
            }

            await using var onB = new LiveClient(LiveCluster.Connection(hubB, token, protocol: protocol));
            await onB.StartAsync();
            var resumed = await onB.ResumeRoomAsync(roomId, left, seen.Attach);
            var after = await SayAsync(chatter, roomId, "after the move");
            await seen.Chat.WaitUntilAsync(items => items.Any(m => m.Id == after), "the message after the move", TimeSpan.FromSeconds(30));

            // Resumed (the room still retains what the viewer missed), not started again from a snapshot.
            Assert.Single(seen.Snapshots.Items);
            Assert.Equal([before, .. away, after], seen.Chat.Items.Select(m => m.Id));
            Assert.Equal(0, joined.Gaps + resumed.Gaps);
        }
        catch (TimeoutException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n{cluster.Logs()}");
        }
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task KillingTheHubThatPublishesForTheBackplaneLosesNothingForTheOtherHubsViewers(WireProtocol protocol)
    {
        await using var cluster = await LiveCluster.StartAsync(silos: 1, hubs: 2);
        try
        {
            // The directory orders a backplane's hubs by id: hub-1 publishes for the backplane while it lives.
            var (publisher, other) = (cluster.Hubs[0], cluster.Hubs[1]);
            var roomId = await LiveRoomAsync(cluster, other.BaseUri, "host-kill");
            var chatters = new List<LiveClient>();
            var viewers = new List<(LiveClient Client, LiveRoom Room, RoomRecorder Seen)>();
            try
            {
                for (var c = 0; c < 4; c++)
                {
                    chatters.Add(await JoinedAsync(cluster, other.BaseUri, $"chatter-kill-{c}", roomId));
                }

                for (var v = 0; v < 3; v++)
                {
                    var client = new LiveClient(LiveCluster.Connection(other.BaseUri, cluster.Token($"viewer-kill-{v}"), protocol: protocol));
                    await client.StartAsync();
                    var seen = new RoomRecorder();
                    viewers.Add((client, await client.JoinRoomAsync(roomId, seen.Attach), seen));
                }

                // Chat flows (within the chat rate limit) while the publishing hub is killed half way, right after a
                // round was accepted: its messages are then in the room's chat tick, on their way to that hub, or in
                // its send queue.
                var sent = new List<string>();
                for (var round = 0; round < 12; round++)
                {
                    foreach (var (chatter, c) in chatters.Select((ch, c) => (ch, c)))
                    {
                        sent.Add(await SayAsync(chatter, roomId, $"round {round} from {c}"));
                    }

                    if (round == 4)
                    {
                        publisher.Kill();
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(600));
                }

                // Nobody asks for anything: the silo sends what the dead hub had not published to the hub that now
                // publishes, and what a viewer still misses shows as a gap (by seq, or at the room's next heartbeat)
                // that its client closes with ResumeRoom on its own. Every message arrives, once.
                foreach (var (_, room, seen) in viewers)
                {
                    await seen.Chat.WaitUntilAsync(
                        items => sent.All(id => items.Any(m => m.Id == id)), "every message sent, with no resync asked for", TimeSpan.FromSeconds(60));
                    var kept = seen.Chat.Items.Select(m => m.Id).ToList();
                    Assert.Equal(kept.Count, kept.Distinct().Count());
                    Assert.Equal(sent.ToHashSet(), kept.ToHashSet());
                    output.WriteLine($"{protocol}: {kept.Count} messages, gaps seen and closed by the client: {room.Gaps}");
                }
            }
            finally
            {
                foreach (var connection in chatters)
                {
                    await connection.DisposeAsync();
                }

                foreach (var (client, _, _) in viewers)
                {
                    await client.DisposeAsync();
                }
            }
        }
        catch (TimeoutException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n{cluster.Logs()}");
        }
    }

    [Fact]
    public async Task ARedisOutageUnderTheBackplaneLosesNothingForEitherHubsViewers()
    {
        await using var cluster = await LiveCluster.StartAsync(silos: 1, hubs: 2);
        try
        {
            var (hubA, hubB) = (cluster.Hubs[0].BaseUri, cluster.Hubs[1].BaseUri);
            var roomId = await LiveRoomAsync(cluster, hubA, "host-blip");
            await using var chatter = await JoinedAsync(cluster, hubA, "chatter-blip", roomId);
            var viewers = new List<(string Hub, LiveClient Client, LiveRoom Room, RoomRecorder Seen)>();
            try
            {
                // One viewer per hub server and protocol, in one cluster (a cluster per protocol doubled the time).
                foreach (var (hub, name, protocol) in new[]
                {
                    (hubA, "A json", WireProtocol.Json), (hubA, "A msgpack", WireProtocol.MessagePack),
                    (hubB, "B json", WireProtocol.Json), (hubB, "B msgpack", WireProtocol.MessagePack),
                })
                {
                    var client = new LiveClient(LiveCluster.Connection(hub, cluster.Token($"viewer-blip-{name.Replace(' ', '-')}"), protocol: protocol));
                    await client.StartAsync();
                    var seen = new RoomRecorder();
                    viewers.Add((name, client, await client.JoinRoomAsync(roomId, seen.Attach), seen));
                }

                // Chat flows while redis-server is killed and, seconds later, started again: what the hubs relay
                // meanwhile cannot cross the backplane. A message answered "unavailable" may or may not have been
                // taken (PROTOCOL), so only the answered ones are owed; any other that arrives must arrive once.
                var sent = new List<string>();
                var unanswered = 0;
                for (var round = 0; round < 16; round++)
                {
                    if (round == 4)
                    {
                        cluster.Redis.Kill();
                    }

                    if (round == 10)
                    {
                        await cluster.Redis.RestartAsync();
                    }

                    try
                    {
                        sent.Add(await SayAsync(chatter, roomId, $"round {round}"));
                    }
                    catch (LiveProtocolException e) when (e.Code == LiveErrorCodes.Unavailable)
                    {
                        unanswered++;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(600));
                }

                Assert.True(sent.Count >= 8, $"only {sent.Count} of 16 messages were answered");

                // The outage reached the room's storage, not only the backplane (event 3009: written again later).
                await Eventually.TrueAsync(
                    "the silo's log of a write-behind that found Redis gone", () => cluster.Silos[0].Wrote("writes them again one write-behind interval later"), TimeSpan.FromSeconds(30));

                // Nobody asks for anything: a viewer that missed events sees the gap (by seq, or at the room's next
                // heartbeat once the backplane is back) and its client closes it with ResumeRoom. Every answered
                // message arrives, once, in the order the room took them. And the room's stream went on: its
                // write-behinds that found Redis gone were written again later rather than breaking the activation,
                // so no viewer was sent back to a snapshot (a new epoch would lose the chat answered meanwhile).
                foreach (var (hub, _, room, seen) in viewers)
                {
                    await seen.Chat.WaitUntilAsync(
                        items => sent.All(id => items.Any(m => m.Id == id)), $"every answered message on hub {hub}", TimeSpan.FromSeconds(60));
                    var kept = seen.Chat.Items.Select(m => m.Id).ToList();
                    Assert.Equal(kept.Count, kept.Distinct().Count());
                    Assert.Equal(sent, kept.Where(sent.Contains));
                    Assert.Equal(1, room.Resets);
                    output.WriteLine($"hub {hub}: {kept.Count} messages ({sent.Count} answered, {unanswered} unavailable), gaps seen and closed by the client: {room.Gaps}");
                }
            }
            finally
            {
                foreach (var (_, client, _, _) in viewers)
                {
                    await client.DisposeAsync();
                }
            }
        }
        catch (TimeoutException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n{cluster.Logs()}");
        }
    }

    /// <summary>
    /// The <c>JoinRoom</c> race of issue 12 across the backplane: viewers join on either hub server, in either protocol,
    /// while chatters on both hubs send; each sees every message exactly once, in its snapshot or live after it.
    /// </summary>
    [Fact]
    public async Task ViewersJoiningEitherHubWhileChatFlowsSeeEachMessageExactlyOnce()
    {
        const int Chatters = 8;
        const int PerChatter = 5;
        const int Viewers = 16;
        await using var cluster = await LiveCluster.StartAsync(silos: 1, hubs: 2);
        var chatters = new List<LiveClient>();
        var viewers = new List<(LiveClient Client, RoomRecorder Seen, string Where)>();
        try
        {
            Uri[] hubs = [cluster.Hubs[0].BaseUri, cluster.Hubs[1].BaseUri];
            var roomId = await LiveRoomAsync(cluster, hubs[0], "host-race");
            for (var c = 0; c < Chatters; c++)
            {
                chatters.Add(await JoinedAsync(cluster, hubs[c % 2], $"chatter-race-{c}", roomId));
            }

            for (var v = 0; v < Viewers; v++)
            {
                var protocol = v % 4 < 2 ? WireProtocol.Json : WireProtocol.MessagePack;
                var client = new LiveClient(LiveCluster.Connection(hubs[v % 2], cluster.Token($"viewer-race-{v}"), protocol: protocol));
                await client.StartAsync();
                viewers.Add((client, new RoomRecorder(), $"viewer {v} on hub {v % 2} in {protocol}"));
            }

            var chat = chatters.Select(async (chatter, i) =>
            {
                var ids = new List<string>();
                for (var m = 0; m < PerChatter; m++)
                {
                    ids.Add(await SayAsync(chatter, roomId, $"chatter {i} line {m}"));
                }

                return ids;
            }).ToArray();
            var joins = viewers.Select(v => v.Client.JoinRoomAsync(roomId, v.Seen.Attach)).ToArray();
            var sent = (await Task.WhenAll(chat)).SelectMany(ids => ids).ToHashSet();
            var rooms = await Task.WhenAll(joins);

            for (var v = 0; v < Viewers; v++)
            {
                var (_, seen, where) = viewers[v];
                var snapshot = Assert.Single(seen.Snapshots.Items);
                var shown = snapshot.RecentChat.Select(m => m.Id).ToHashSet();
                await seen.Chat.WaitUntilAsync(
                    items => sent.IsSubsetOf(shown.Concat(items.Select(m => m.Id))), $"every message for {where}", TimeSpan.FromSeconds(30));
                var live = seen.Chat.Items.Select(m => m.Id).ToList();
                Assert.True(live.Count == live.Distinct().Count(), $"{where} saw a message twice");
                Assert.True(!live.Intersect(shown).Any(), $"{where} saw live a message its snapshot showed");
                Assert.True(rooms[v].Gaps == 0, $"{where} had {rooms[v].Gaps} gaps to close");
            }

            output.WriteLine($"{sent.Count} messages, {Viewers} viewers on two hub servers: each saw every message once");
        }
        catch (TimeoutException ex)
        {
            throw new Xunit.Sdk.XunitException($"{ex.Message}\n{cluster.Logs()}");
        }
        finally
        {
            foreach (var client in chatters.Concat(viewers.Select(v => v.Client)))
            {
                await client.DisposeAsync();
            }
        }
    }

    private static async Task<string> LiveRoomAsync(LiveCluster cluster, Uri hub, string hostId)
    {
        using var host = LiveCluster.Http(hub, cluster.Token(hostId, "host"));
        var room = await (await host.PostAsJsonAsync("/api/rooms", new { title = "Stream" })).Content.ReadFromJsonAsync<Room>();
        (await host.PostAsync($"/api/rooms/{room!.Id}/start", null)).EnsureSuccessStatusCode();
        return room.Id;
    }

    private static async Task<LiveClient> JoinedAsync(LiveCluster cluster, Uri hub, string userId, string roomId)
    {
        var client = new LiveClient(LiveCluster.Connection(hub, cluster.Token(userId)));
        await client.StartAsync();
        await client.JoinRoomAsync(roomId);
        return client;
    }

    private static async Task<string> SayAsync(LiveClient chatter, string roomId, string text) =>
        (await chatter.SendChatAsync(roomId, text)).Id;
}
