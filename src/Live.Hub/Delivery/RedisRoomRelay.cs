using Live.Hosting;
using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Live.Hub.Delivery;

/// <summary>
/// The cross-server hop of room events behind several hub servers: one Redis publish per room event, on one channel
/// (<c>{Redis:KeyPrefix}room-events</c>) every hub server subscribes to, each delivering to its own viewers through
/// <see cref="LocalDelivery"/>. It replaces SignalR's Redis backplane for room groups only (which would write to every
/// local connection itself, unbounded), and keeps its rule: one publish per event, not per viewer. The payload is the
/// room id and the event as SignalR's JSON hub protocol writes it (the exact JSON a client reads: decimals keep their
/// digits), read back with <see cref="ILiveClient"/>'s parameter types. Messages of one channel arrive in order
/// (one <see cref="ChannelMessageQueue"/>), so a room's events keep their order on every server. Sends to a user
/// (<c>Clients.User</c>) take a second channel (<c>{Redis:KeyPrefix}user-events</c>) the same way, one publish per
/// send, into the outboxes of the user's connections on every server (SignalR's own user channels would write to
/// them directly, past the outboxes' lanes and bounds).
/// </summary>
/// <remarks>
/// One channel for all rooms: each hub server receives every room's events and skips the rooms it has no viewer of.
/// That costs a hub server a little for rooms it does not serve; a channel per room (subscribed on the first local
/// viewer) is the refinement for a deployment of many hub servers and many rooms.
/// Redis keeps nothing for a subscriber: what is published while the subscription connection is down is lost to this
/// server's viewers (a gap they see by seq), and so is a message it cannot read; both are counted
/// (<see cref="DeliveryMetrics"/>) and logged.
/// </remarks>
internal sealed class RedisRoomRelay(
    IOptions<LiveRedisOptions> redis,
    LocalDelivery delivery,
    IEnumerable<IHubProtocol> protocols,
    DeliveryMetrics metrics,
    ILogger<RedisRoomRelay> logger) : IRoomRelay, IHostedService, IAsyncDisposable
{
    private readonly RoomEventCodec _codec = new(protocols.Single(p => p.Name == "json"));
    private readonly RedisChannel _channel = RedisChannel.Literal($"{redis.Value.KeyPrefix}room-events");
    private readonly RedisChannel _userChannel = RedisChannel.Literal($"{redis.Value.KeyPrefix}user-events");
    private ConnectionMultiplexer? _connection;
    private ChannelMessageQueue? _queue;
    private ChannelMessageQueue? _userQueue;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var configuration = ConfigurationOptions.Parse(redis.Value.ConnectionString!);
        configuration.AbortOnConnectFail = false;
        configuration.ClientName = "redlive-room-relay";

        // RESP2 keeps the subscriptions on a connection of their own, so a failure of that connection (which loses what
        // is published meanwhile) is told apart from one of the publishing connection; RESP3 would share one.
        configuration.Protocol = RedisProtocol.Resp2;
        _connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        _connection.ConnectionFailed += OnConnectionFailed;
        _connection.ConnectionRestored += OnConnectionRestored;
        _queue = await _connection.GetSubscriber().SubscribeAsync(_channel);
        _queue.OnMessage(message => Receive(message.Message));
        _userQueue = await _connection.GetSubscriber().SubscribeAsync(_userChannel);
        _userQueue.OnMessage(message => ReceiveUser(message.Message));
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_queue is not null)
        {
            await _queue.UnsubscribeAsync();
        }

        if (_userQueue is not null)
        {
            await _userQueue.UnsubscribeAsync();
        }
    }

    public async Task SendAsync(string roomId, string method, object?[] args, CancellationToken cancellationToken)
    {
        var connection = _connection ?? throw new InvalidOperationException("the room relay has not started");
        await connection.GetSubscriber().PublishAsync(_channel, _codec.Write(roomId, method, args));
    }

    /// <summary>One publish on the user channel, whichever server holds the user's connections (and however many).</summary>
    public async Task SendUserAsync(string userId, string method, object?[] args, CancellationToken cancellationToken)
    {
        var connection = _connection ?? throw new InvalidOperationException("the room relay has not started");
        await connection.GetSubscriber().PublishAsync(_userChannel, _codec.Write(userId, method, args));
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }

    private void Receive(RedisValue message)
    {
        try
        {
            ReadOnlyMemory<byte> payload = (byte[])message!;
            var roomId = RoomEventCodec.RoomOf(payload.Span);
            if (delivery.ViewersOf(roomId) == 0)
            {
                return;
            }

            var call = _codec.Read(payload);
            delivery.Post(roomId, call.Target, call.Arguments);
        }
        catch (Exception ex)
        {
            metrics.RelayMessageUnreadable("room");
            DeliveryLog.RelayReceiveFailed(logger, ex, "room");
        }
    }

    private void ReceiveUser(RedisValue message)
    {
        try
        {
            ReadOnlyMemory<byte> payload = (byte[])message!;
            var userId = RoomEventCodec.RoomOf(payload.Span);
            if (!delivery.HasUser(userId))
            {
                return;
            }

            var call = _codec.Read(payload);
            delivery.ToUser(userId, call.Target, call.Arguments);
        }
        catch (Exception ex)
        {
            metrics.RelayMessageUnreadable("user");
            DeliveryLog.RelayReceiveFailed(logger, ex, "user");
        }
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            metrics.RelaySubscriptionDropped();
            DeliveryLog.RelaySubscriptionLost(logger, e.Exception, e.EndPoint?.ToString() ?? "?", e.FailureType.ToString());
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType == ConnectionType.Subscription)
        {
            DeliveryLog.RelaySubscriptionRestored(logger, e.EndPoint?.ToString() ?? "?");
        }
    }
}
