using System.Diagnostics.Metrics;
using Live.Grains.Notifications;

namespace Live.Hub.Hubs;

/// <summary>The hub server's meters (<c>RedLive.Hub</c>).</summary>
public sealed class LiveHubMetrics
{
    public const string MeterName = "RedLive.Hub";

    private readonly Counter<long> _roomEvents;
    private readonly Counter<long> _chatMessages;
    private readonly Counter<long> _purchases;
    private readonly UpDownCounter<long> _connections;

    public LiveHubMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _roomEvents = meter.CreateCounter<long>("redlive.room_events", description: "Room events sent to a room group");
        _chatMessages = meter.CreateCounter<long>("redlive.chat_messages", description: "Chat messages accepted");
        _purchases = meter.CreateCounter<long>("redlive.purchases", description: "BuyNow answers, by status");
        _connections = meter.CreateUpDownCounter<long>("redlive.connections", description: "Open hub connections");
    }

    public void RoomEventSent(RoomEvent roomEvent) =>
        _roomEvents.Add(1, new KeyValuePair<string, object?>("event", roomEvent.GetType().Name));

    public void ChatAccepted() => _chatMessages.Add(1);

    public void Purchase(string status) => _purchases.Add(1, new KeyValuePair<string, object?>("status", status));

    public void Connected() => _connections.Add(1);

    public void Disconnected() => _connections.Add(-1);
}
