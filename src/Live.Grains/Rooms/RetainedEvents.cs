using Live.Contracts.Notifications;
using Live.Contracts.Rooms;

namespace Live.Grains.Rooms;

/// <summary>
/// The room's recent events, numbered, for viewers who resume (PROTOCOL v1.3's <c>ResumeRoom</c>): at least the last
/// <see cref="LiveRoomOptions.RetainedEvents"/> and at least those of the last <see cref="LiveRoomOptions.RetainedFor"/>,
/// never more than <see cref="LiveRoomOptions.MaxRetainedEvents"/> nor about <see cref="LiveRoomOptions.MaxRetainedBytes"/>.
/// A chat message is one event: a batch is kept
/// message by message, so the window can end inside a batch, and the messages are batched again when answered.
/// </summary>
/// <remarks>In memory: an activation's history is its epoch's (see <see cref="RoomSequence"/>). Not thread-safe.</remarks>
internal sealed class RetainedEvents(string roomId, long floor, LiveRoomOptions options)
{
    private readonly Queue<Entry> _entries = new();
    private long _bytes;

    /// <summary>The number below the oldest event kept: every event after it up to <see cref="Last"/> is here.</summary>
    public long Floor { get; private set; } = floor;

    /// <summary>The newest event kept, or <see cref="Floor"/> when none is.</summary>
    public long Last { get; private set; } = floor;

    public int Count => _entries.Count;

    /// <summary>The estimated size in memory of the events kept (<see cref="LiveRoomOptions.MaxRetainedBytes"/>).</summary>
    public long Bytes => _bytes;

    /// <summary>Keeps a numbered event (every message of a batch numbered), then drops what the window lets go.</summary>
    public void Append(RoomEvent roomEvent, DateTimeOffset now)
    {
        if (roomEvent is ChatBatchEvent batch)
        {
            foreach (var message in batch.Messages)
            {
                Add(new Entry(message.Seq ?? throw Unnumbered(roomEvent), now, null, message));
            }
        }
        else
        {
            Add(new Entry(roomEvent.Seq > 0 ? roomEvent.Seq : throw Unnumbered(roomEvent), now, roomEvent, null));
        }

        Trim(now);
    }

    /// <summary>
    /// Every event after <paramref name="seq"/>, oldest first, with consecutive chat messages batched and latest-value
    /// events (viewers, likes, one sale's progress) folded into their newest; null when they are not all kept here
    /// (<paramref name="seq"/> below <see cref="Floor"/> or above <see cref="Last"/>).
    /// </summary>
    public IReadOnlyList<RoomEvent>? After(long seq)
    {
        if (seq < Floor || seq > Last)
        {
            return null;
        }

        var picked = new List<Entry>();
        var folded = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in _entries.Reverse())
        {
            if (entry.Seq <= seq)
            {
                break;
            }

            if (FoldKey(entry.Event) is not { } key || folded.Add(key))
            {
                picked.Add(entry);
            }
        }

        picked.Reverse();
        var events = new List<RoomEvent>(picked.Count);
        List<ChatMessage>? chat = null;
        foreach (var entry in picked)
        {
            if (entry.Message is { } message)
            {
                (chat ??= []).Add(message);
                continue;
            }

            FlushChat();
            events.Add(entry.Event!);
        }

        FlushChat();
        return events;

        void FlushChat()
        {
            if (chat is { Count: > 0 })
            {
                events.Add(new ChatBatchEvent { RoomId = roomId, Seq = chat[^1].Seq!.Value, Messages = chat.ToArray() });
                chat = null;
            }
        }
    }

    /// <summary>
    /// A deleted chat message leaves the window, so a viewer who resumes (or the room's next activation) never gets its
    /// text again; its <c>ChatDeleted</c>, kept after it, still tells a client that showed it. An answer skips the
    /// message's number, as it skips those of folded events. False when the window does not hold it.
    /// </summary>
    public bool Forget(string messageId)
    {
        if (!_entries.Any(e => e.Message?.Id == messageId))
        {
            return false;
        }

        var kept = _entries.Where(e => e.Message?.Id != messageId).ToArray();
        _entries.Clear();
        _bytes = 0;
        foreach (var entry in kept)
        {
            _entries.Enqueue(entry);
            _bytes += entry.Bytes;
        }

        return true;
    }

    /// <summary>The events kept, to put back with <see cref="PutBack"/> when a change made after it is taken back.</summary>
    public Kept Copy() => new([.. _entries], _bytes, Floor, Last);

    /// <summary>Makes the window what it was at <see cref="Copy"/> (a chat deletion that could not be stored).</summary>
    public void PutBack(Kept kept)
    {
        _entries.Clear();
        foreach (var entry in kept.Entries)
        {
            _entries.Enqueue(entry);
        }

        (_bytes, Floor, Last) = (kept.Bytes, kept.Floor, kept.Last);
    }

    /// <summary>The window as it stands, to hand to the room's next activation (<see cref="RetainedHandoff"/>).</summary>
    public RetainedHandoff Export(string epoch) => new()
    {
        Epoch = epoch,
        Last = Last,
        Floor = Floor,
        Events = [.. _entries.Select(e => new RetainedItem
        {
            At = e.At,
            Event = e.Event ?? new ChatBatchEvent { RoomId = roomId, Seq = e.Seq, Messages = [e.Message!] },
        })],
    };

    /// <summary>The window an earlier activation handed over, trimmed to what is still due at <paramref name="now"/>.</summary>
    public static RetainedEvents Restore(string roomId, RetainedHandoff handoff, LiveRoomOptions options, DateTimeOffset now)
    {
        var window = new RetainedEvents(roomId, handoff.Floor, options);
        foreach (var item in handoff.Events)
        {
            window.Append(item.Event, item.At);
        }

        if (window.Last != handoff.Last)
        {
            // Not the window of that stream up to its last number: keep nothing (every resume answers the snapshot)
            // rather than answer a resume with a hole.
            window = new RetainedEvents(roomId, handoff.Last, options);
        }

        window.Trim(now);
        return window;
    }

    private void Add(Entry entry)
    {
        if (entry.Seq <= Last)
        {
            throw new InvalidOperationException($"event {entry.Seq} kept after {Last}: numbers must grow");
        }

        _entries.Enqueue(entry);
        _bytes += entry.Bytes;
        Last = entry.Seq;
    }

    private void Trim(DateTimeOffset now)
    {
        var keepSince = now - options.RetainedFor;
        while (_entries.Count > options.MaxRetainedEvents
            || _bytes > options.MaxRetainedBytes
            || (_entries.Count > options.RetainedEvents && _entries.Peek().At < keepSince))
        {
            var dropped = _entries.Dequeue();
            _bytes -= dropped.Bytes;
            Floor = dropped.Seq;
        }
    }

    /// <summary>Events of which only the newest matters, by what they are the value of; null for the others.</summary>
    private static string? FoldKey(RoomEvent? roomEvent) => roomEvent switch
    {
        ViewerCountEvent => "viewers",
        LikesUpdatedEvent => "likes",
        FlashSaleUpdatedEvent e => "sale:" + e.Progress.SaleId,
        _ => null,
    };

    private static InvalidOperationException Unnumbered(RoomEvent roomEvent) =>
        new($"{roomEvent.GetType().Name} of room {roomEvent.RoomId} was not numbered");

    /// <summary>The window at <see cref="Copy"/>.</summary>
    internal sealed record Kept(Entry[] Entries, long Bytes, long Floor, long Last);

    internal sealed record Entry(long Seq, DateTimeOffset At, RoomEvent? Event, ChatMessage? Message)
    {
        /// <summary>
        /// About what the entry holds in memory: a chat message its strings (UTF-16) and the objects around them;
        /// another event a flat allowance, more for those that carry a product (a name, a brand, tags).
        /// </summary>
        public long Bytes { get; } = Message is { } m
            ? 160 + 2L * (m.Id.Length + m.RoomId.Length + m.UserId.Length + m.DisplayName.Length + m.Text.Length)
            : Event is ProductPinnedEvent or FlashSaleStartedEvent or FlashSaleEndedEvent ? 2048 : 256;
    }
}
