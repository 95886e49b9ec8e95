using Live.Client;
using Live.Client.Streams;
using Live.Contracts.Rooms;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Live.Hub.Tests.Stream;

/// <summary>
/// Issue 12, items 2 and 3 across a graceful stop (SIGTERM: a deploy) of the embedded server on its SQLite data: the room
/// hands its retained window to its next activation, so a viewer resumes with the events it missed (same epoch), even
/// when another viewer reconnects while the server is stopping. That viewer is the one a real stop meets: SignalR
/// closes every connection when the server begins to stop, and Live.Client's first reconnect is immediate.
/// </summary>
public sealed class GracefulStopTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AViewerReconnectingWhileTheServerStopsIsRefusedAndTheRoomKeepsItsWindowForTheNextServer(WireProtocol protocol)
    {
        var data = Path.Combine(Path.GetTempPath(), "redlive-graceful-" + Guid.NewGuid().ToString("N")[..8]);
        var settings = new Dictionary<string, string?>
        {
            ["Cluster:Storage"] = "Sqlite",
            ["Cluster:DataPath"] = data,
            ["Cluster:ClusterId"] = $"graceful-{Guid.NewGuid():N}",
        };
        LiveClient? late = null;
        Live.Client.Models.RoomResume? lateAnswer = null;
        try
        {
            string roomId;
            ResumePoint left;
            var seen = new RoomRecorder();
            string token;
            List<string> said = [];
            var first = await LiveServer.StartAsync(settings);
            try
            {
                roomId = (await new HostScenario(first, "host-graceful").CreateRoomAsync()).Id;
                await using var alice = await first.ConnectAsync(first.Token("alice-graceful"), protocol);
                await alice.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), roomId);

                token = first.Token("viewer-graceful");
                await using (var viewer = await first.ConnectClientAsync(token, protocol))
                {
                    var joined = await viewer.JoinRoomAsync(roomId, seen.Attach);
                    said.Add(await SendAsync(alice, roomId, "before the stop"));
                    await seen.Chat.WaitAsync(m => m.Id == said[0], what: "the message before the stop");
                    left = joined.ResumePoint!;
                }

                // Missed by the viewer: said while it was away, and sent (the window keeps what the room has sent).
                await using var witness = await first.ConnectAsync(protocol: protocol);
                var chat = new EventProbe<ChatMessage[]>(witness, nameof(ILiveClient.ChatBatch));
                await witness.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), roomId);
                said.Add(await SendAsync(alice, roomId, "missed 1"));
                said.Add(await SendAsync(alice, roomId, "missed 2"));
                await chat.WaitAsync(b => b.Any(m => m.Id == said[^1]), what: "the last missed message");

                // SIGTERM, as the host's console lifetime takes it: the application is told it is stopping (SignalR
                // closes every open connection), then the host stops its services, the web server first, the silo
                // after it. In between, a viewer reconnects at once and resumes, as Live.Client does.
                first.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();
                late = new LiveClient(WebSocketHub.Builder(new Uri(first.BaseUri, LiveHubExtensions.HubPath), first.Token("late-graceful")).WithProtocol(protocol).Build());
                try
                {
                    await late.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));
                    lateAnswer = await late.InvokeResumeRoomAsync(roomId, left.Epoch, left.Seq).WaitAsync(TimeSpan.FromSeconds(15));
                }
                catch (Exception ex)
                {
                    // Refused: it resumes against the next server.
                    output.WriteLine($"the late viewer was refused: {ex.GetType().Name}: {ex.Message}");
                }
            }
            finally
            {
                // The host's stop, within a deadline as a process manager gives one (LiveServer stops within 10 s, as
                // `docker stop` does before it kills).
                await first.DisposeAsync();
            }

            await using var second = await LiveServer.StartAsync(settings);
            await using var back = await second.ConnectClientAsync(token, protocol);
            var resumed = await back.ResumeRoomAsync(roomId, left, seen.Attach);

            // The same stream goes on: same epoch, the missed events, no snapshot but the first join's.
            Assert.Equal(left.Epoch, resumed.ResumePoint!.Epoch);
            await seen.Chat.WaitAsync(m => m.Id == said[^1], what: "the last missed message, after the restart");
            Assert.Equal(said, seen.Chat.Items.Select(m => m.Id));
            Assert.Single(seen.Snapshots.Items);
            Assert.Equal(0, resumed.Gaps);

            // The late viewer was refused, not answered by the stopping server (whose connection, closed by no one,
            // held the web server's stop, and the silo's after it, up to the deadline).
            Assert.True(lateAnswer is null, $"the stopping server took a new connection and answered its resume (resumed: {lateAnswer?.Resumed})");
        }
        finally
        {
            if (late is not null)
            {
                await late.DisposeAsync();
            }

            if (Directory.Exists(data))
            {
                Directory.Delete(data, recursive: true);
            }
        }
    }

    private static async Task<string> SendAsync(HubConnection chatter, string roomId, string text) =>
        (await chatter.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), roomId, text)).Id;
}
