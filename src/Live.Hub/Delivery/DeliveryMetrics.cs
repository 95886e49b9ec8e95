using System.Diagnostics.Metrics;
using Live.Hub.Realtime;

namespace Live.Hub.Delivery;

/// <summary>The delivery path's meters, in the hub's meter (<see cref="LiveHubMetrics.MeterName"/>).</summary>
/// <remarks>A static meter for the reason <see cref="LiveHubMetrics"/> gives; the gauges sum every live host's outboxes.</remarks>
public sealed class DeliveryMetrics
{
    private static readonly Meter Meter = new(LiveHubMetrics.MeterName);
    private static readonly Counter<long> DroppedChat = Meter.CreateCounter<long>("redlive.hub.outbox.chat_dropped", description: "Chat messages dropped from the outbox of a connection that fell behind");
    private static readonly Counter<long> Replaced = Meter.CreateCounter<long>("redlive.hub.outbox.values_replaced", description: "Latest-value events replaced in an outbox by a newer value before they were written");
    private static readonly Counter<long> ClosedConnections = Meter.CreateCounter<long>("redlive.hub.outbox.closed", description: "Connections closed because they could not take their events, by reason");
    private static readonly Counter<long> Frames = Meter.CreateCounter<long>("redlive.hub.frames", description: "Frames fanned out to local connections (one per connection per event)");

    // The hub server's loss paths between the silo's push (or the Redis relay) and the outboxes: each is a gap its viewers
    // see by seq and close with ResumeRoom, and each should stay 0 (the outboxes' own drops are counted above).
    private static readonly Counter<long> FanOutFailures = Meter.CreateCounter<long>("redlive.hub.delivery.fanout_failures", description: "Fan-outs of a room's events to this hub server's viewers that failed: the events it had not fanned out are lost to them");
    private static readonly Counter<long> RelayUnreadable = Meter.CreateCounter<long>("redlive.hub.relay.unreadable", "{message}", "Messages of the Redis relay's channels this hub server could not read (lost to its viewers), by channel");
    private static readonly Counter<long> RoomInboxDropped = Meter.CreateCounter<long>("redlive.hub.room_inbox.dropped", "{event}", "Room events dropped from a room's inbox on this hub server because its fan-out fell behind (chat first), by lane");
    private static readonly Counter<long> RelaySubscriptionLost = Meter.CreateCounter<long>("redlive.hub.relay.subscription_lost", description: "Drops of the Redis relay's subscription connection: what was published until it was restored is lost to this hub server's viewers");
    private static readonly Histogram<double> ChatLag = Meter.CreateHistogram<double>(
        "redlive.hub.chat.lag", "ms", "Age of each chat message (since its room accepted it) when it reached this hub server's delivery (stage arrived) and when it was handed to the viewers' outboxes (stage sent)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 300, 500, 750, 1000, 2000, 5000] });
    private static readonly KeyValuePair<string, object?> Arrived = new("stage", "arrived");
    private static readonly KeyValuePair<string, object?> Sent = new("stage", "sent");
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<LocalDelivery, byte> Deliveries = new();

    static DeliveryMetrics()
    {
        Meter.CreateObservableGauge("redlive.hub.outbox.queued_bytes", () => Deliveries.Keys.Sum(d => d.QueuedBytes()), description: "Bytes queued in every connection's outbox on this hub server");
        Meter.CreateObservableGauge("redlive.hub.outbox.max_queued_bytes", () => Deliveries.Keys.Select(d => d.MaxQueuedBytes()).DefaultIfEmpty().Max(), description: "Bytes queued in the fullest outbox on this hub server");
    }

    private long _chatDropped;
    private long _closed;
    private long _peakQueuedBytes;
    private long _peakQueuedFrames;

    /// <summary>Chat messages this host's outboxes dropped.</summary>
    public long ChatDroppedTotal => Interlocked.Read(ref _chatDropped);

    /// <summary>Connections this host closed because they could not take their events.</summary>
    public long ClosedTotal => Interlocked.Read(ref _closed);

    /// <summary>The most bytes any one outbox of this host has held at once: what one stalled viewer cost.</summary>
    public long PeakQueuedBytes => Interlocked.Read(ref _peakQueuedBytes);

    /// <summary>The most frames any one outbox of this host has held at once.</summary>
    public long PeakQueuedFrames => Interlocked.Read(ref _peakQueuedFrames);

    public void ChatDropped(int messages)
    {
        Interlocked.Add(ref _chatDropped, messages);
        DroppedChat.Add(messages);
    }

    public void ValueReplaced() => Replaced.Add(1);

    public void Closed(string reason)
    {
        Interlocked.Increment(ref _closed);
        ClosedConnections.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    /// <summary>An outbox reached a new high of its own.</summary>
    public void Queued(int frames, long bytes)
    {
        Max(ref _peakQueuedFrames, frames);
        Max(ref _peakQueuedBytes, bytes);
    }

    public void FramesSent(int connections) => Frames.Add(connections);

    /// <summary>A room's fan-out threw: the events of its worker's turn not yet fanned out are lost here.</summary>
    public void FanOutFailed() => FanOutFailures.Add(1);

    /// <summary>A room's inbox was over its bound (<see cref="OutboxOptions.MaxRoomInbox"/>): <paramref name="events"/> of <paramref name="lane"/> dropped.</summary>
    public void InboxDropped(OutboxLane lane, int events) =>
        RoomInboxDropped.Add(events, new KeyValuePair<string, object?>("lane", lane switch
        {
            OutboxLane.Droppable => "droppable",
            OutboxLane.LatestValue => "latest_value",
            _ => "must_deliver",
        }));

    /// <param name="channel"><c>room</c> or <c>user</c>.</param>
    public void RelayMessageUnreadable(string channel) => RelayUnreadable.Add(1, new KeyValuePair<string, object?>("channel", channel));

    /// <summary>The relay's subscription connection failed: Redis does not keep what it publishes meanwhile.</summary>
    public void RelaySubscriptionDropped() => RelaySubscriptionLost.Add(1);

    /// <summary>Chat of a room reached this server's delivery (<paramref name="sent"/> false) or its viewers' outboxes.</summary>
    public static void ChatLagged(IReadOnlyList<Live.Contracts.Rooms.ChatMessage> messages, DateTimeOffset now, bool sent)
    {
        if (!ChatLag.Enabled)
        {
            return;
        }

        foreach (var message in messages)
        {
            ChatLag.Record((now - message.SentAt).TotalMilliseconds, sent ? Sent : Arrived);
        }
    }

    private static void Max(ref long peak, long value)
    {
        var seen = Interlocked.Read(ref peak);
        while (value > seen)
        {
            var was = Interlocked.CompareExchange(ref peak, value, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }

    internal void Track(LocalDelivery delivery) => Deliveries.TryAdd(delivery, 0);

    internal void Untrack(LocalDelivery delivery) => Deliveries.TryRemove(delivery, out _);
}
