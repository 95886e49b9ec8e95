using System.Diagnostics.Metrics;
using Live.Contracts.Notifications;

namespace Live.Hub.Realtime;

/// <summary>The hub server's meters (<c>RedLive.Hub</c>).</summary>
public sealed class LiveHubMetrics
{
    public const string MeterName = "RedLive.Hub";

    private readonly Counter<long> _roomEvents;
    private readonly Counter<long> _chatMessages;
    private readonly Counter<long> _purchases;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _refusals;

    public LiveHubMetrics(IMeterFactory meters, RoomPresence presence)
    {
        var meter = meters.Create(MeterName);
        _roomEvents = meter.CreateCounter<long>("redlive.hub.room_events", description: "Room events sent to a room group (one backplane publish each)");
        _chatMessages = meter.CreateCounter<long>("redlive.hub.chat_messages", description: "Chat messages accepted");
        _purchases = meter.CreateCounter<long>("redlive.hub.purchases", description: "BuyNow answers, by status");
        _connections = meter.CreateUpDownCounter<long>("redlive.hub.connections", description: "Open hub connections");
        _refusals = meter.CreateCounter<long>("redlive.hub.refusals", description: "Refused hub calls and connections, by error code and hub method");
        meter.CreateObservableGauge("redlive.hub.viewers", presence.TotalViewers, description: "Viewers joined to rooms on this hub server");
        meter.CreateObservableGauge("redlive.hub.rooms_watched", presence.RoomsWatched, description: "Rooms with viewers on this hub server");
    }

    /// <param name="code">The protocol's error code.</param>
    /// <param name="method">The hub method refused, or <c>connect</c>/<c>connect-anonymous</c> for a refused connection.</param>
    public void Refused(string code, string method) =>
        _refusals.Add(1, new KeyValuePair<string, object?>("code", code), new KeyValuePair<string, object?>("method", method));

    public void RoomEventSent(RoomEvent roomEvent) =>
        _roomEvents.Add(1, new KeyValuePair<string, object?>("event", roomEvent.GetType().Name));

    public void ChatAccepted() => _chatMessages.Add(1);

    public void Purchase(string status) => _purchases.Add(1, new KeyValuePair<string, object?>("status", status));

    public void Connected() => _connections.Add(1);

    public void Disconnected() => _connections.Add(-1);
}
