using System.Net;
using System.Net.Http.Json;
using Live.Contracts.Rooms;
using Live.Hub.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Live.Hub.Tests.Security;

/// <summary>What a token's claims may do over time and in what they say: expiry closes a connection, a bad name is refused.</summary>
[Collection(ServerCollection.Name)]
public sealed class TokenClaimsTests(ServerFixture fixture)
{
    private LiveServer Server => fixture.Server;

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AConnectionIsClosedWhenItsTokenExpires(WireProtocol protocol)
    {
        var room = await new HostScenario(Server, "host-expiry").CreateRoomAsync();
        await using var connection = await Server.ConnectAsync(Server.Token($"short-lived-{protocol}", lifetime: TimeSpan.FromSeconds(3)), protocol);
        var closed = new TaskCompletionSource();
        connection.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };
        await connection.InvokeAsync<RoomSnapshot>("JoinRoom", room.Id);

        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HubConnectionState.Disconnected, connection.State);
    }

    [Theory]
    [InlineData(WireProtocol.Json)]
    [InlineData(WireProtocol.MessagePack)]
    public async Task AHubConnectionWhoseTokenCarriesABadDisplayNameIsRefusedWithInvalidArgument(WireProtocol protocol)
    {
        var builder = WebSocketHub.Builder(new Uri(Server.BaseUri, "/hubs/live"), Server.Token($"bell-{protocol}", displayName: "ring\u0007ring"));
        if (protocol == WireProtocol.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }

        await using var connection = builder.Build();
        var closed = new TaskCompletionSource<Exception?>();
        connection.Closed += e =>
        {
            closed.TrySetResult(e);
            return Task.CompletedTask;
        };
        await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));

        var error = await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.NotNull(error);
        Assert.StartsWith("invalid_argument: the token's display name", ProtocolError.Refusal(error));
    }

    [Theory]
    [InlineData("ring\u0007ring")]
    [InlineData("two\nlines")]
    [InlineData("a name far longer than the fifty characters chat allows for one")]
    public async Task RestCallsWithATokenWhoseDisplayNameBreaksTheTextRulesAreRefused(string name)
    {
        using var client = Server.Client(Server.Token("bad-name", displayName: name));
        var detail = await Problems.AssertAsync(await client.GetAsync("/api/cart"), HttpStatusCode.BadRequest, "invalid_argument");
        Assert.StartsWith("the token's display name", detail);
    }

    [Theory]
    [InlineData("two words")]
    [InlineData("caf\u00e9")]
    [InlineData(null)]
    public async Task RestCallsWithATokenWhoseSubjectIsNotAPrintableAsciiIdAreRefused(string? subject)
    {
        using var client = Server.Client(Server.Token(subject ?? new string('s', 257)));
        var detail = await Problems.AssertAsync(await client.GetAsync("/api/cart"), HttpStatusCode.BadRequest, "invalid_argument");
        Assert.StartsWith("the token's subject (sub claim)", detail);
    }

    [Fact]
    public async Task AUserWhoseSubjectIsLongerThanTheServersOwnIdsCanBeMutedAndBanned()
    {
        // An external identity provider's subject, longer than 64 characters: the user may chat, and the room's staff
        // may mute and ban them by it.
        var subject = "oidc|" + new string('u', 200);
        var host = new HostScenario(Server, "host-long-sub");
        var room = await host.CreateRoomAsync();
        await using var viewer = await Server.ConnectAsync(Server.Token(subject, displayName: "Oidc User"));
        await viewer.InvokeAsync<RoomSnapshot>("JoinRoom", room.Id);
        await viewer.InvokeAsync<ChatMessage>("SendChat", room.Id, "hello");

        (await host.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/mutes", new { userId = subject, durationSeconds = 60 })).EnsureSuccessStatusCode();
        Assert.StartsWith("forbidden: you are muted", await HubErrors.RefusalAsync(() => viewer.InvokeAsync<ChatMessage>("SendChat", room.Id, "again")));
        (await host.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/bans", new { userId = subject })).EnsureSuccessStatusCode();
        await Problems.AssertAsync(await host.Host.PostAsJsonAsync($"/api/rooms/{room.Id}/mutes", new { userId = subject + new string('u', 60), durationSeconds = 60 }), HttpStatusCode.BadRequest, "invalid_argument");
    }
}
