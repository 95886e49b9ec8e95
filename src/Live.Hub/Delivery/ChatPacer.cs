using Live.Contracts.Rooms;

namespace Live.Hub.Delivery;

/// <summary>
/// One room's chat on this server, paced by the frame budget with a token bucket: the room earns one chat frame per
/// interval (<see cref="FrameBudget.ChatInterval"/>, which grows with its viewers here) and may keep up to
/// <see cref="FrameBudgetOptions.ChatBurst"/> of them unspent. Chat that finds a frame to spend leaves at once (a room
/// sending within its share of the budget pays no pacing delay, however its messages fall); chat that finds none is
/// held and leaves as one frame when the next frame is earned (<see cref="DueAt"/>), or at once when
/// <see cref="FrameBudgetOptions.MaxChatPerFrame"/> messages are held. So over any stretch a room sends at most
/// <c>ChatBurst</c> plus one frame per interval. Any other event of the room takes the held chat first
/// (<see cref="TakeAll"/>), so a connection sees the room's events in the room's order. Not thread-safe: its room's lock
/// guards it.
/// </summary>
public sealed class ChatPacer(FrameBudgetOptions options)
{
    private readonly List<ChatMessage> _held = [];
    private double _credit = options.ChatBurst;
    private DateTimeOffset _creditAt = DateTimeOffset.MinValue;
    private TimeSpan _interval;

    /// <summary>When the held chat is due; null when none is held.</summary>
    public DateTimeOffset? DueAt { get; private set; }

    public int Held => _held.Count;

    /// <summary>Adds a room tick's chat; answers the frame to send now, or null when it is held until <see cref="DueAt"/>.</summary>
    public IReadOnlyList<ChatMessage>? Add(IReadOnlyList<ChatMessage> messages, TimeSpan interval, DateTimeOffset now)
    {
        _held.AddRange(messages);
        var credit = CreditAt(now);
        _credit = credit;
        _creditAt = now;
        _interval = interval;
        if (credit >= 1 || _held.Count >= options.MaxChatPerFrame)
        {
            return Take(now);
        }

        // The interval may have shrunk (viewers left) since the chat held first: the earlier due time stands.
        var due = now + interval * (1 - credit);
        DueAt = DueAt is { } held && held < due ? held : due;
        return null;
    }

    /// <summary>The held chat if it is due at <paramref name="now"/>, else null.</summary>
    public IReadOnlyList<ChatMessage>? TakeDue(DateTimeOffset now) => DueAt is { } due && now >= due ? Take(now) : null;

    /// <summary>The held chat whether due or not (another event of the room goes next), or null when none is held.</summary>
    public IReadOnlyList<ChatMessage>? TakeAll(DateTimeOffset now) => _held.Count == 0 ? null : Take(now);

    /// <summary>The frames the room may send at <paramref name="now"/>: what it kept, plus one per interval since, up to the burst.</summary>
    private double CreditAt(DateTimeOffset now)
    {
        if (_creditAt == DateTimeOffset.MinValue || _interval <= TimeSpan.Zero)
        {
            return options.ChatBurst;
        }

        return Math.Min(options.ChatBurst, _credit + Math.Max(0, (now - _creditAt) / _interval));
    }

    /// <summary>Sends what is held, spending a frame (none in hand: it goes all the same and the bucket stays empty).</summary>
    private ChatMessage[] Take(DateTimeOffset now)
    {
        _credit = Math.Max(0, CreditAt(now) - 1);
        _creditAt = now;
        var frame = _held.ToArray();
        _held.Clear();
        DueAt = null;
        return frame;
    }
}
