using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Live.Contracts.Notifications;

namespace Live.Hub.Realtime;

/// <summary>The hub server's meters (<c>RedLive.Hub</c>).</summary>
/// <remarks>
/// One meter per process, like <c>RedLive.Grains</c>', not one per host from <c>IMeterFactory</c>: OpenTelemetry keeps
/// one metric stream per meter and instrument name, so where several hosts share a process (the test suites) a
/// second host's same-named instruments were ignored as duplicates of the first host's, and once that host stopped,
/// its meter went with them and the surviving host exported no hub metrics at all (seen as a flaky scrape test).
/// In production a process holds one hub server, so the figures are the same; the gauges sum every live host's.
/// </remarks>
public sealed class LiveHubMetrics : IDisposable
{
    public const string MeterName = "RedLive.Hub";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> RoomEvents = Meter.CreateCounter<long>("redlive.hub.room_events", description: "Room events sent to a room group (one backplane publish each)");
    private static readonly Counter<long> RoomEventDuplicates = Meter.CreateCounter<long>("redlive.hub.room_events.duplicates", description: "Room events pushed again that this hub server had sent already (not sent twice)");
    private static readonly Counter<long> RoomEventSendFailures = Meter.CreateCounter<long>("redlive.hub.room_events.send_failures", description: "Room event sends that failed (the backplane unreachable); the silo pushes them again");
    private static readonly Counter<long> RoomEventBatchesRefused = Meter.CreateCounter<long>("redlive.hub.room_events.batches_refused", description: "Pushes of room events refused because this hub server's queue was full; the silo pushes them again");
    private static readonly Counter<long> ChatMessages = Meter.CreateCounter<long>("redlive.hub.chat_messages", description: "Chat messages accepted");
    private static readonly Counter<long> Purchases = Meter.CreateCounter<long>("redlive.hub.purchases", description: "BuyNow answers, by status");
    private static readonly Counter<long> PurchaseConfirmationFailures = Meter.CreateCounter<long>("redlive.hub.purchase_confirmations.send_failures", description: "PurchaseConfirmed events that could not be sent to the buyer (the purchase was still answered; the order is in the buyer's book)");
    private static readonly UpDownCounter<long> Connections = Meter.CreateUpDownCounter<long>("redlive.hub.connections", description: "Open hub connections");
    private static readonly Counter<long> Refusals = Meter.CreateCounter<long>("redlive.hub.refusals", description: "Refused hub calls and connections, by error code and hub method");
    private static readonly ConcurrentDictionary<RoomPresence, byte> Presences = new();

    static LiveHubMetrics()
    {
        Meter.CreateObservableGauge("redlive.hub.viewers", () => Presences.Keys.Sum(p => (long)p.TotalViewers()), description: "Viewers joined to rooms on this hub server");
        Meter.CreateObservableGauge("redlive.hub.rooms_watched", () => Presences.Keys.Sum(p => (long)p.RoomsWatched()), description: "Rooms with viewers on this hub server");
    }

    private readonly RoomPresence _presence;

    public LiveHubMetrics(RoomPresence presence)
    {
        _presence = presence;
        Presences.TryAdd(presence, 0);
    }

    /// <param name="code">The protocol's error code.</param>
    /// <param name="method">The hub method refused, or <c>connect</c>/<c>connect-anonymous</c> for a refused connection.</param>
    public void Refused(string code, string method) =>
        Refusals.Add(1, new KeyValuePair<string, object?>("code", code), new KeyValuePair<string, object?>("method", method));

    public void RoomEventSent(RoomEvent roomEvent) =>
        RoomEvents.Add(1, new KeyValuePair<string, object?>("event", roomEvent.GetType().Name));

    public void RoomEventDuplicate() => RoomEventDuplicates.Add(1);

    public void RoomEventSendFailed() => RoomEventSendFailures.Add(1);

    public void RoomEventBatchRefused() => RoomEventBatchesRefused.Add(1);

    public void ChatAccepted() => ChatMessages.Add(1);

    public void Purchase(string status) => Purchases.Add(1, new KeyValuePair<string, object?>("status", status));

    public void PurchaseConfirmationFailed() => PurchaseConfirmationFailures.Add(1);

    public void Connected() => Connections.Add(1);

    public void Disconnected() => Connections.Add(-1);

    public void Dispose() => Presences.TryRemove(_presence, out _);
}
