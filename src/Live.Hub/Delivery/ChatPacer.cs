using Live.Contracts.Rooms;

namespace Live.Hub.Delivery;

/// <summary>
/// One room's chat on this server, paced by the frame budget: chat that comes after the room's interval has passed
/// since its last frame leaves at once (a quiet or small room keeps its latency); chat that comes sooner is held and
/// leaves as one frame when the interval is up (<see cref="DueAt"/>), or at once when <see cref="FrameBudgetOptions.MaxChatPerFrame"/>
/// messages are held. Any other event of the room takes the held chat first (<see cref="TakeAll"/>), so a connection
/// sees the room's events in the room's order. Not thread-safe: its room's lock guards it.
/// </summary>
public sealed class ChatPacer(FrameBudgetOptions options)
{
    private readonly List<ChatMessage> _held = [];
    private DateTimeOffset _lastFrame = DateTimeOffset.MinValue;

    /// <summary>When the held chat is due; null when none is held.</summary>
    public DateTimeOffset? DueAt { get; private set; }

    public int Held => _held.Count;

    /// <summary>Adds a room tick's chat; answers the frame to send now, or null when it is held until <see cref="DueAt"/>.</summary>
    public IReadOnlyList<ChatMessage>? Add(IReadOnlyList<ChatMessage> messages, TimeSpan interval, DateTimeOffset now)
    {
        _held.AddRange(messages);
        var due = _lastFrame == DateTimeOffset.MinValue ? now : _lastFrame + interval;
        if (now >= due || _held.Count >= options.MaxChatPerFrame)
        {
            return Take(now);
        }

        // The interval may have shrunk (viewers left) since the chat held first: the earlier due time stands.
        DueAt = DueAt is { } held && held < due ? held : due;
        return null;
    }

    /// <summary>The held chat if it is due at <paramref name="now"/>, else null.</summary>
    public IReadOnlyList<ChatMessage>? TakeDue(DateTimeOffset now) => DueAt is { } due && now >= due ? Take(now) : null;

    /// <summary>The held chat whether due or not (another event of the room goes next), or null when none is held.</summary>
    public IReadOnlyList<ChatMessage>? TakeAll(DateTimeOffset now) => _held.Count == 0 ? null : Take(now);

    private ChatMessage[] Take(DateTimeOffset now)
    {
        var frame = _held.ToArray();
        _held.Clear();
        DueAt = null;
        _lastFrame = now;
        return frame;
    }
}
