using Live.Contracts.Notifications;
using Live.Client.Streams;
using Live.Contracts.Rooms;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Live.Hub.Tests.Stream;

/// <summary>Issue 12, item 4: with no hub server registered for a while, the room's events wait and arrive afterwards.</summary>
public sealed class NoHubTests
{
    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task EventsPublishedWhileNoHubIsRegisteredArriveOnceOneIs(WireProtocol protocol)
    {
        // The hub re-registers only when told to here (an hour's heartbeat), and the silo reads the directory afresh.
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string?>
        {
            ["Notifications:HubHeartbeat"] = "01:00:00",
            ["Notifications:DirectoryCacheTime"] = "00:00:00",
            ["Notifications:RetryDelay"] = "00:00:00.200",
        });
        var room = await new HostScenario(server, "host-nohub").CreateRoomAsync();
        await using var alice = await server.ConnectAsync(server.Token("alice-nohub"), protocol);
        await alice.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        await using var viewer = await server.ConnectClientAsync(server.Token("viewer-nohub"), protocol);
        var seen = new RoomRecorder();
        var joined = await viewer.JoinRoomAsync(room.Id, seen.Attach);
        var before = await SendAsync(alice, room.Id, "before");
        await seen.Chat.WaitAsync(m => m.Id == before, what: "the message before the hub left the directory");

        var directory = server.Services.GetRequiredService<IGrainFactory>().GetGrain<IHubDirectoryGrain>(0);
        var registrations = await directory.GetHubsAsync();
        foreach (var hub in registrations)
        {
            await directory.UnregisterAsync(hub.HubId);
        }

        Assert.Empty(await directory.GetHubsAsync());
        List<string> meanwhile = [];
        for (var i = 0; i < 4; i++)
        {
            meanwhile.Add(await SendAsync(alice, room.Id, $"while no hub is registered {i}"));
        }

        // The room has sent them (a resume would answer them); the silo holds them for want of a hub.
        var point = joined.ResumePoint!;
        var resumed = await viewer.InvokeResumeRoomAsync(room.Id, point.Epoch, point.Seq);
        Assert.True(resumed.Resumed);
        Assert.Equal(meanwhile, resumed.Events!.SelectMany(RoomEventDecoder.Items).Select(i => i.Data).OfType<Live.Client.Models.ChatMessage>().Select(m => m.Id));

        foreach (var hub in registrations)
        {
            await directory.RegisterAsync(hub);
        }

        await seen.Chat.WaitUntilAsync(items => meanwhile.All(id => items.Any(m => m.Id == id)), "the messages sent while no hub was registered");
        Assert.Equal([before, .. meanwhile], seen.Chat.Items.Select(m => m.Id));
        Assert.Equal(0, joined.Gaps);
    }

    private static async Task<string> SendAsync(HubConnection chatter, string roomId, string text) =>
        (await chatter.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), roomId, text)).Id;
}
