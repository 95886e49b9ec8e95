using System.Diagnostics.Metrics;

namespace Live.Grains;

/// <summary>
/// The silo side's meter (<c>RedLive.Grains</c>). Static because grains are many and short-lived; the instruments
/// are thread-safe and cost nothing without a listener.
/// </summary>
public static class LiveGrainMetrics
{
    public const string MeterName = "RedLive.Grains";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> RoomsStarted = Meter.CreateCounter<long>("redlive.rooms.started", description: "Rooms that went live");
    private static readonly Counter<long> RoomsEnded = Meter.CreateCounter<long>("redlive.rooms.ended", description: "Rooms that ended");
    private static readonly Counter<long> WriteBehindsDeferred = Meter.CreateCounter<long>("redlive.rooms.write_behind_deferred", description: "Write-behinds of a room's chat and likes that found storage out of reach and are made again an interval later (the room serves on)");
    private static readonly Counter<long> WritesUndone = Meter.CreateCounter<long>("redlive.rooms.writes_undone", description: "Changes to a room (a pin, a ban, a sale listed, a higher event-number ceiling) that found storage out of reach: taken back and answered unavailable, the room serving on");
    private static readonly Counter<long> EpochsLost = Meter.CreateCounter<long>("redlive.rooms.epochs_lost", description: "Activations of a room that had numbered events but found no handed-over window (the earlier activation died or could not write it): a new epoch, its viewers resume from a snapshot, and what the earlier one held unsent or unwritten is gone");
    private static readonly Counter<long> DirectoryUpdatesFailed = Meter.CreateCounter<long>("redlive.rooms.directory_behind", description: "Rooms that stored a change (created, started, ended) but could not tell the room directory: the room's tick tells it again");
    private static readonly Counter<long> ChatBatches = Meter.CreateCounter<long>("redlive.chat.batches", description: "ChatBatch events raised (a message that finds a batch to spend goes at once; a busy room is paced to one per tick)");
    private static readonly Histogram<int> ChatBatchSize = Meter.CreateHistogram<int>("redlive.chat.batch_size", "{message}", "Messages per ChatBatch");
    private static readonly Histogram<double> ChatHold = Meter.CreateHistogram<double>(
        "redlive.chat.hold", "ms", "How long each chat message waited in its room for its batch (accepted to sent to the publisher)",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] });
    private static readonly Counter<long> RoomEventsLost = Meter.CreateCounter<long>("redlive.room_events.lost", "{event}", "Room events a silo dropped before any hub took them (a gap viewers see by seq), by reason");
    private static readonly Counter<long> RoomEventPushesFailed = Meter.CreateCounter<long>("redlive.room_events.push_failures", description: "Pushes of room events to a hub server that failed or timed out (retried, on another hub or later)");
    private static readonly Counter<long> RoomAnnouncementsFailed = Meter.CreateCounter<long>("redlive.room_events.announce_failures", description: "Calls of a flash sale to its room with a room event that failed (the event waits and is sent again)");
    private static readonly Counter<long> Purchases = Meter.CreateCounter<long>("redlive.sale.purchases", description: "BuyNow decisions by status (replays not counted)");
    private static readonly Counter<long> UnitsSold = Meter.CreateCounter<long>("redlive.sale.units_sold", "{unit}", "Flash-sale units confirmed");

    public static void RoomStarted() => RoomsStarted.Add(1);

    public static void RoomEnded() => RoomsEnded.Add(1);

    public static void WriteBehindDeferred() => WriteBehindsDeferred.Add(1);

    public static void WriteUndone() => WritesUndone.Add(1);

    public static void DirectoryBehind() => DirectoryUpdatesFailed.Add(1);

    public static void EpochLost() => EpochsLost.Add(1);

    public static void ChatBatch(IReadOnlyList<Contracts.Rooms.ChatMessage> messages, DateTimeOffset now)
    {
        ChatBatches.Add(1);
        ChatBatchSize.Record(messages.Count);
        if (ChatHold.Enabled)
        {
            foreach (var message in messages)
            {
                ChatHold.Record((now - message.SentAt).TotalMilliseconds);
            }
        }
    }

    /// <param name="count">How many events.</param>
    /// <param name="reason"><c>queue_full</c> (held too many for a backplane it could not reach) or <c>backplane_gone</c> (its hubs left the directory).</param>
    public static void RoomEventsDropped(int count, string reason) =>
        RoomEventsLost.Add(count, new KeyValuePair<string, object?>("reason", reason));

    public static void RoomEventPushFailed() => RoomEventPushesFailed.Add(1);

    public static void RoomAnnouncementFailed() => RoomAnnouncementsFailed.Add(1);

    public static void Purchase(string status, int units)
    {
        Purchases.Add(1, new KeyValuePair<string, object?>("status", status));
        if (units > 0)
        {
            UnitsSold.Add(units);
        }
    }
}
