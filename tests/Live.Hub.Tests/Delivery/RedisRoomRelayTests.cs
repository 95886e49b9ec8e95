using System.Buffers.Binary;
using System.Text;
using Live.Hosting;
using Live.Hub.Delivery;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using StackExchange.Redis;

namespace Live.Hub.Tests.Delivery;

/// <summary>
/// The Redis relay's loss paths, against a real redis-server: a message it cannot read and a dropped subscription lose
/// room events for this server's viewers (Redis keeps nothing for a subscriber), so each is counted, and the relay goes
/// on delivering after it.
/// </summary>
public sealed class RedisRoomRelayTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private readonly string _prefix = $"relay-{Guid.NewGuid():N}:";
    private readonly FakeTimeProvider _time = new();
    private RedisServer? _redis;

    private RedisServer Redis => _redis ?? throw new InvalidOperationException("redis-server has not started");

    public async ValueTask InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("room")]
    [InlineData("user")]
    public async Task AMessageThatCannotBeReadIsCountedAndTheNextOneArrives(string channel)
    {
        using var unreadable = new MetricCollector<long>(null, LiveHubMetrics.MeterName, "redlive.hub.relay.unreadable");
        using var delivery = Delivery();
        var viewer = new FakeOutboxConnection("c1");
        delivery.Connected(viewer, "u1");
        delivery.TryJoin(viewer.ConnectionId, "r1");
        await using var relay = await StartRelayAsync(delivery);
        await using var publisher = await ConnectionMultiplexer.ConnectAsync(Redis.ConnectionString);

        // The room's (or user's) id as the relay writes it, then no hub invocation.
        await publisher.GetSubscriber().PublishAsync(RedisChannel.Literal($"{_prefix}{channel}-events"), Garbled(channel == "room" ? "r1" : "u1"));
        if (channel == "room")
        {
            await relay.SendAsync("r1", nameof(ILiveClient.ProductUnpinned), [new RoomRef("r1")], CancellationToken.None);
        }
        else
        {
            await relay.SendUserAsync("u1", nameof(ILiveClient.RemovedFromRoom), [new RoomRemoval("r1", "banned")], CancellationToken.None);
        }

        // One channel's messages are read in order: once the good one is through, the bad one was read before it.
        await Eventually.TrueAsync("the readable message delivered", () => viewer.Written.Count == 1, Wait);
        var counted = Assert.Single(unreadable.GetMeasurementSnapshot());
        Assert.Equal(1, counted.Value);
        Assert.Equal(channel, counted.Tags["channel"]);
    }

    [Fact]
    public async Task ADroppedSubscriptionIsCountedAndTheRelayReceivesAgainOnceItIsRestored()
    {
        using var lost = new MetricCollector<long>(null, LiveHubMetrics.MeterName, "redlive.hub.relay.subscription_lost");
        using var delivery = Delivery();
        var viewer = new FakeOutboxConnection("c1");
        delivery.Connected(viewer);
        delivery.TryJoin(viewer.ConnectionId, "r1");
        await using var relay = await StartRelayAsync(delivery);
        await SendUntilDeliveredAsync(relay, viewer, "before the drop");

        // The relay's subscription connection, closed by the server: a blip of that one connection.
        await using var admin = await ConnectionMultiplexer.ConnectAsync($"{Redis.ConnectionString},allowAdmin=true");
        var server = admin.GetServer(admin.GetEndPoints()[0]);
        var subscription = Assert.Single(await server.ClientListAsync(), c => c.Name == "redlive-room-relay" && c.ClientType == ClientType.PubSub);
        Assert.Equal(1, await server.ClientKillAsync(id: subscription.Id));

        await Eventually.TrueAsync("the dropped subscription counted", () => lost.GetMeasurementSnapshot().Count > 0, Wait);
        await SendUntilDeliveredAsync(relay, viewer, "after the subscription is restored");
        Assert.Equal(1, lost.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    /// <summary>Sends an event until the viewer has it: what is published before the subscription is back is lost.</summary>
    private static async Task SendUntilDeliveredAsync(IRoomRelay relay, FakeOutboxConnection viewer, string what)
    {
        var before = viewer.Written.Count;
        await Eventually.GetAsync(
            $"an event delivered through the relay {what}",
            async () =>
            {
                await relay.SendAsync("r1", nameof(ILiveClient.ProductUnpinned), [new RoomRef("r1")], CancellationToken.None);
                return await Eventually.LastAsync(() => viewer.Written.Count > before, TimeSpan.FromMilliseconds(500));
            },
            delivered => delivered,
            Wait,
            retryOn: e => e is RedisConnectionException);
    }

    private static byte[] Garbled(string id)
    {
        var name = Encoding.UTF8.GetBytes(id);
        var body = "not a hub invocation"u8;
        var payload = new byte[2 + name.Length + body.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(payload, (ushort)name.Length);
        name.CopyTo(payload.AsSpan(2));
        body.CopyTo(payload.AsSpan(2 + name.Length));
        return payload;
    }

    private async Task<RedisRoomRelay> StartRelayAsync(LocalDelivery delivery)
    {
        var relay = new RedisRoomRelay(
            Options.Create(new LiveRedisOptions { ConnectionString = Redis.ConnectionString, KeyPrefix = _prefix }),
            delivery,
            [new JsonHubProtocol(Options.Create(new JsonHubProtocolOptions()))],
            new DeliveryMetrics(),
            NullLogger<RedisRoomRelay>.Instance);
        await relay.StartAsync(CancellationToken.None);
        return relay;
    }

    private LocalDelivery Delivery() => new(
        Options.Create(new OutboxOptions()),
        Options.Create(new FrameBudgetOptions()),
        _time,
        new DeliveryMetrics());
}
