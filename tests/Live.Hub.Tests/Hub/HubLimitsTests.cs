using Live.Contracts.Carts;
using Live.Contracts.Rooms;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Live.Hub.Tests.Hub;

/// <summary>
/// Limits that need a server of their own settings: the anonymous-connection cap per address, and how refusals are
/// logged. Each test starts its own embedded server.
/// </summary>
public sealed class HubLimitsTests
{
    [Fact]
    public async Task AnonymousConnectionsPastThePerAddressCapAreClosedWithTheReason()
    {
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string?> { ["Hub:MaxAnonymousConnectionsPerAddress"] = "2" });
        var room = await new HostScenario(server, "host-cap").CreateRoomAsync();
        await using var first = await server.ConnectAsync();
        await using var second = await server.ConnectAsync();
        await second.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);

        var reason = await server.RefusedConnectionAsync();
        Assert.Contains("rate_limited: at most 2 anonymous connections per address", reason, StringComparison.Ordinal);

        // The refused connection holds no place (SignalR does not run OnDisconnectedAsync after a refusal).
        var registry = server.Services.GetRequiredService<ConnectionRegistry>();
        Assert.Equal(2, registry.AnonymousFrom("127.0.0.1"));

        // Signed-in users are not anonymous viewers: their own per-user limit applies.
        await using var signedIn = await server.ConnectAsync(server.Token("viewer-cap"));
        await signedIn.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);

        // A closed anonymous connection frees its place; the refused one took none.
        await first.DisposeAsync();
        await Eventually.TrueAsync("the server to see the closed connection go", () => registry.AnonymousFrom("127.0.0.1") == 1, TimeSpan.FromSeconds(10));
        await using var third = await server.ConnectAsync();
        Assert.Equal(room.Id, (await third.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id)).Room.Id);
        Assert.Equal(HubConnectionState.Connected, second.State);
    }

    [Fact]
    public async Task AnonymousJoinsAreLimitedPerAddressSoThatANewConnectionDoesNotBringANewBucket()
    {
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimits:AnonymousJoinsPerSecond"] = "0.01",
            ["RateLimits:AnonymousJoinBurst"] = "3",
        });
        var room = await new HostScenario(server, "host-anon-joins").CreateRoomAsync();
        await using (var first = await server.ConnectAsync())
        {
            for (var i = 0; i < 2; i++)
            {
                await first.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
            }
        }

        // A new connection has a full bucket of its own (10), but the address has one join left: then rate_limited,
        // for a resume as for a join.
        await using var second = await server.ConnectAsync();
        var snapshot = await second.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
        Assert.StartsWith("rate_limited: ", await HubErrors.RefusalAsync(() => second.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id)));
        Assert.StartsWith("rate_limited: ", await HubErrors.RefusalAsync(() => second.InvokeAsync<object>(nameof(LiveHub.ResumeRoom), room.Id, snapshot.Epoch, snapshot.Seq)));

        // Signed-in viewers from the same address have their own per-user bucket.
        await using var signedIn = await server.ConnectAsync(server.Token("viewer-anon-joins"));
        Assert.Equal(room.Id, (await signedIn.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id)).Room.Id);
    }

    [Fact]
    public async Task EveryKindOfCallTakesFromTheCallersBackstopBucketRefusedOnesAndLeaveRoomIncluded()
    {
        await using var server = await LiveServer.StartAsync(new Dictionary<string, string?>
        {
            ["RateLimits:HubCallsPerSecond"] = "0.01",
            ["RateLimits:HubCallBurst"] = "4",
        });
        var room = await new HostScenario(server, "host-backstop").CreateRoomAsync();

        // An anonymous connection: LeaveRoom has no bucket of its own, and a call refused for its input still costs one.
        await using var anonymous = await server.ConnectAsync();
        await anonymous.InvokeAsync(nameof(LiveHub.LeaveRoom), room.Id);
        await anonymous.InvokeAsync(nameof(LiveHub.LeaveRoom), room.Id);
        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => anonymous.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), "")));
        Assert.StartsWith("unauthenticated: ", await HubErrors.RefusalAsync(() => anonymous.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), room.Id, "hi")));
        Assert.StartsWith("rate_limited: ", await HubErrors.RefusalAsync(() => anonymous.InvokeAsync(nameof(LiveHub.LeaveRoom), room.Id)));
        Assert.StartsWith("rate_limited: ", await HubErrors.RefusalAsync(() => anonymous.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id)));

        // Another anonymous connection has a bucket of its own.
        await using var other = await server.ConnectAsync();
        Assert.Equal(room.Id, (await other.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id)).Room.Id);

        // A signed-in user's connections share one: a new connection brings no new bucket.
        var token = server.Token("viewer-backstop");
        await using (var first = await server.ConnectAsync(token))
        {
            await first.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id);
            Assert.StartsWith("forbidden: ", await HubErrors.RefusalAsync(() => first.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), "room_x", "hi")));
            await first.InvokeAsync(nameof(LiveHub.LeaveRoom), room.Id);
        }

        await using var second = await server.ConnectAsync(token);
        await second.InvokeAsync(nameof(LiveHub.LeaveRoom), room.Id);
        Assert.StartsWith("rate_limited: ", await HubErrors.RefusalAsync(() => second.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), room.Id)));
    }

    [Fact]
    public async Task ARefusedCallIsLoggedAtDebugWithACounterNotAsAnError()
    {
        var capture = new LogCapture();
        await using var server = await LiveServer.StartAsync(
            new Dictionary<string, string?>
            {
                ["Logging:LogLevel:Live.Hub"] = "Debug",
                ["RateLimits:CartPerSecond"] = "0.01",
                ["RateLimits:CartBurst"] = "1",
            },
            b => b.Logging.AddProvider(capture));
        var product = await new HostScenario(server, "host-logs").CreateProductAsync();
        await using var viewer = await server.ConnectAsync(server.Token("viewer-logs"));
        var mark = capture.Entries.Count;

        Assert.StartsWith("invalid_argument: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<RoomSnapshot>(nameof(LiveHub.JoinRoom), "")));
        Assert.StartsWith("forbidden: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<ChatMessage>(nameof(LiveHub.SendChat), "room_x", "hi")));
        await viewer.InvokeAsync<Cart>(nameof(LiveHub.AddToCart), product.Id, 1, null);
        Assert.StartsWith("rate_limited: ", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<Cart>(nameof(LiveHub.AddToCart), product.Id, 1, null)));

        var logged = capture.Entries.Skip(mark).ToArray();
        Assert.Empty(logged.Where(e => e.Level >= LogLevel.Warning).Select(e => $"{e.Level} {e.Category}: {e.Message}"));
        var refusals = logged.Where(e => e.EventId.Id == 4301).ToArray();
        Assert.Equal(
            ["JoinRoom invalid_argument", "SendChat forbidden", "AddToCart rate_limited"],
            refusals.Select(e => $"{e.Message.Split(' ')[2]} {e.Message.Split(' ')[4].TrimEnd(':')}"));
        Assert.All(refusals, e => Assert.Equal((LogLevel.Debug, null), (e.Level, e.Exception)));
    }
}
