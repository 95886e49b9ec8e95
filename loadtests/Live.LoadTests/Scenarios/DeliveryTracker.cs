using System.Diagnostics;
using System.Globalization;
using Live.Contracts.Rooms;
using Live.LoadTests.Engine;

namespace Live.LoadTests.Scenarios;

/// <summary>
/// Times every chat message from send to receipt at every viewer. The text carries the message's sequence number and
/// the <see cref="Stopwatch"/> timestamp taken just before the send (<c>lt m42 123456789</c>); senders and viewers
/// share this process, so the clocks agree. Counts what each message should reach and what it did reach.
/// </summary>
public sealed class DeliveryTracker(int capacity, LatencyMetric latency)
{
    private readonly int[] _received = new int[capacity];
    private readonly int[] _expected = new int[capacity];
    private int _next = -1;
    private long _delivered;
    private long _unexpected;

    /// <summary>Deliveries of measured messages so far (each viewer's receipt counts once).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Messages sent while measuring, whether accepted or not.</summary>
    public int Sent => Math.Min(Volatile.Read(ref _next) + 1, capacity);

    /// <summary>A message's text; measured messages get a sequence number, warm-up ones are ignored by viewers.</summary>
    public string NextText(Phase phase, out int sequence)
    {
        if (phase != Phase.Measure)
        {
            sequence = -1;
            return string.Create(CultureInfo.InvariantCulture, $"lt w0 {Stopwatch.GetTimestamp()}");
        }

        sequence = Interlocked.Increment(ref _next);
        if (sequence >= capacity)
        {
            throw new InvalidOperationException($"more than {capacity} measured messages: the scenario sized its tracker too small");
        }

        return string.Create(CultureInfo.InvariantCulture, $"lt m{sequence} {Stopwatch.GetTimestamp()}");
    }

    /// <summary>The server accepted message <paramref name="sequence"/>: it should reach <paramref name="viewers"/> viewers.</summary>
    public void Accepted(int sequence, int viewers) => Volatile.Write(ref _expected[sequence], viewers);

    /// <summary>A bare-SignalR viewer's <c>ChatBatch</c> handler.</summary>
    public void OnBatch(ChatMessage[] batch)
    {
        var now = Stopwatch.GetTimestamp();
        foreach (var message in batch)
        {
            Record(message.Text, now);
        }
    }

    /// <summary>A RedLive viewer's handler: Live.Client's <c>LiveRoom.ChatReceived</c>, message by message, in order, each once.</summary>
    public void OnMessage(Live.Client.Models.ChatMessage message) => Record(message.Text, Stopwatch.GetTimestamp());

    private void Record(string received, long now)
    {
        {
            var text = received.AsSpan();
            if (!text.StartsWith("lt "))
            {
                Interlocked.Increment(ref _unexpected);
                return;
            }

            text = text[3..];
            var space = text.IndexOf(' ');
            if (space < 2 || text[0] == 'w')
            {
                return;
            }

            if (text[0] != 'm'
                || !int.TryParse(text[1..space], NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
                || !long.TryParse(text[(space + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var sentAt)
                || sequence >= capacity)
            {
                Interlocked.Increment(ref _unexpected);
                return;
            }

            // Latency first: whoever sees the counts complete (the drain) must find every latency recorded.
            latency.RecordMicros((now - sentAt) * 1_000_000 / Stopwatch.Frequency);
            Interlocked.Increment(ref _received[sequence]);
            Interlocked.Increment(ref _delivered);
        }
    }

    public DeliveryTally Tally()
    {
        long accepted = 0, expected = 0, delivered = 0, duplicates = 0, ofRefused = 0;
        for (var i = 0; i < Sent; i++)
        {
            var want = Volatile.Read(ref _expected[i]);
            var got = Volatile.Read(ref _received[i]);
            if (want == 0)
            {
                ofRefused += got;
                continue;
            }

            accepted++;
            expected += want;
            delivered += Math.Min(want, got);
            duplicates += Math.Max(0, got - want);
        }

        return new DeliveryTally(Sent, accepted, expected, delivered, duplicates, ofRefused, Interlocked.Read(ref _unexpected));
    }

    /// <summary>Waits until every accepted message reached every viewer, or the time is up (what is missing is reported).</summary>
    public Task<DeliveryTally> DrainAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        Eventually.LastAsync(() => Task.FromResult(Tally()), tally => tally.Delivered >= tally.Expected, timeout, TimeSpan.FromMilliseconds(100), cancellationToken);
}
