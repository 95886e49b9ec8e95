using Live.Contracts.Notifications;

namespace Live.Grains.Notifications;

/// <summary>
/// The room events waiting for one backplane (or one hub), oldest first, and the hubs that can take them. Events leave
/// only once a hub has taken them (<see cref="Taken"/>); the queue is bounded by dropping its oldest (<see cref="Trim"/>).
/// </summary>
/// <remarks>Used by the publisher's one loop only: not thread-safe.</remarks>
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

    /// <summary>The oldest <paramref name="max"/> events, left in the queue.</summary>
    public RoomEvent[] Peek(int max) => _events.Take(max).ToArray();

    /// <summary>A hub took the oldest <paramref name="count"/>: they leave the queue, which may be pushed at once.</summary>
    public void Taken(int count)
    {
        for (var i = 0; i < count && _events.Count > 0; i++)
        {
            _events.Dequeue();
        }

        RetryAt = DateTimeOffset.MinValue;
    }

    /// <summary>Drops the oldest events past <paramref name="max"/>; how many.</summary>
    public int Trim(int max)
    {
        var dropped = 0;
        while (_events.Count > max)
        {
            _events.Dequeue();
            dropped++;
        }

        return dropped;
    }
}
