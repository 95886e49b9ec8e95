using Live.Contracts;

namespace Live.Grains.Rooms;

/// <summary>
/// A room's recent chat messages and likes by the id the hub server gave the call, so that a call sent again (the hub
/// retries a call whose silo died before it was answered: docs/OPERATIONS.md "Failover") is answered as the first one
/// was and not done twice. An id is kept for <see cref="LiveRoomOptions.RepeatWindow"/> (far longer than the hub's
/// retry budget) and at most <see cref="LiveRoomOptions.MaxRepeatIds"/> of them (the oldest go first), so a room that
/// chats fast costs a bounded map. Not thread-safe: the room grain's turn guards it.
/// </summary>
/// <typeparam name="T">The first call's answer.</typeparam>
public sealed class RepeatedCalls<T>(int capacity, TimeSpan window)
{
    private readonly Dictionary<string, Seen> _byId = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Count => _byId.Count;

    /// <summary>
    /// The answer of an earlier call with <paramref name="id"/>, when it is still kept; throws when that call was
    /// someone else's (an id is the hub's, never a client's, so this is a bug, not a race).
    /// </summary>
    public bool TryGet(string id, string userId, out T answer)
    {
        if (!_byId.TryGetValue(id, out var seen))
        {
            answer = default!;
            return false;
        }

        if (seen.UserId != userId)
        {
            throw LiveException.Conflict($"call id {id} was another user's");
        }

        answer = seen.Answer;
        return true;
    }

    /// <summary>Keeps a call's answer; forgets those past the window or over the capacity, oldest first.</summary>
    public void Add(string id, string userId, T answer, DateTimeOffset at)
    {
        if (!_byId.TryAdd(id, new Seen(userId, answer, at)))
        {
            return;
        }

        _order.Enqueue(id);
        while (_order.TryPeek(out var oldest)
            && (_byId.Count > capacity || at - _byId[oldest].At >= window))
        {
            _order.Dequeue();
            _byId.Remove(oldest);
        }
    }

    private readonly record struct Seen(string UserId, T Answer, DateTimeOffset At);
}
