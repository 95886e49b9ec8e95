using Live.Contracts.Notifications;

namespace Live.Grains.Notifications;

/// <summary>
/// The room events waiting for one backplane (or one hub), oldest first, and the hubs that can take them. Events leave
/// only once a hub has taken them (<see cref="Taken"/>); the queue is bounded by dropping its oldest (<see cref="Trim"/>).
/// </summary>
/// <remarks>Used by the publisher's one loop only: not thread-safe (a push runs apart, but only the loop applies its end).</remarks>
internal sealed class DeliveryQueue(string key)
{
    private readonly Queue<RoomEvent> _events = new();

    /// <summary><c>backplane:{name}</c> or <c>hub:{id}</c>.</summary>
    public string Key { get; } = key;

    public List<HubRegistration> Hubs { get; set; } = [];

    /// <summary>When the queue may be pushed again after no hub took it.</summary>
    public DateTimeOffset RetryAt { get; set; } = DateTimeOffset.MinValue;

    public int Count => _events.Count;

    public void Add(IEnumerable<RoomEvent> events)
    {
        foreach (var roomEvent in events)
        {
            _events.Enqueue(roomEvent);
        }
    }

    /// <summary>The push in flight (one at a time, so the queue's events leave in order); null when none is.</summary>
    public Task<bool>? InFlight { get; private set; }

    /// <summary>How many of the oldest events the push in flight carries (fewer if <see cref="Trim"/> dropped some).</summary>
    public int InFlightCount { get; private set; }

    /// <summary>The oldest <paramref name="max"/> events, left in the queue.</summary>
    public RoomEvent[] Peek(int max) => _events.Take(max).ToArray();

    /// <summary>Starts a push of the oldest <paramref name="max"/> events: <paramref name="push"/> answers whether a hub took them.</summary>
    public void Begin(int max, Func<RoomEvent[], Task<bool>> push)
    {
        var batch = Peek(max);
        InFlightCount = batch.Length;
        InFlight = push(batch);
    }

    /// <summary>
    /// The push in flight has ended: its events leave the queue when a hub took them (which may be pushed again at
    /// once), or wait until <paramref name="retryAt"/>.
    /// </summary>
    public void Ended(bool taken, DateTimeOffset retryAt)
    {
        if (taken)
        {
            Taken(InFlightCount);
        }
        else
        {
            RetryAt = retryAt;
        }

        InFlight = null;
        InFlightCount = 0;
    }

    /// <summary>A hub took the oldest <paramref name="count"/>: they leave the queue, which may be pushed at once.</summary>
    public void Taken(int count)
    {
        for (var i = 0; i < count && _events.Count > 0; i++)
        {
            _events.Dequeue();
        }

        RetryAt = DateTimeOffset.MinValue;
    }

    /// <summary>Drops the oldest events past <paramref name="max"/>; how many (those of a push in flight included).</summary>
    public int Trim(int max)
    {
        var dropped = 0;
        while (_events.Count > max)
        {
            _events.Dequeue();
            dropped++;
        }

        InFlightCount = Math.Max(0, InFlightCount - dropped);
        return dropped;
    }
}
