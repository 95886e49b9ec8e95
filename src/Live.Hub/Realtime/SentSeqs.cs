using Live.Contracts.Notifications;

namespace Live.Hub.Realtime;

/// <summary>
/// The newest <c>seq</c> this hub server has sent per room, so that a batch pushed again (the silo retries a push that
/// timed out, or one another hub took first) is not sent twice: only what is numbered above it goes out. Clients drop
/// duplicates by <c>seq</c> anyway; this saves the sends. Forgets everything past <paramref name="maxRooms"/> rooms
/// (the cost is a duplicate, never a loss).
/// </summary>
/// <remarks>Used by the observer's one send loop only: not thread-safe.</remarks>
public sealed class SentSeqs(int maxRooms = 100_000)
{
    private readonly Dictionary<string, long> _newest = new(StringComparer.Ordinal);

    /// <summary>
    /// What of <paramref name="roomEvent"/> is still to send: the event itself, the messages of a chat batch numbered
    /// above what was sent, or null when all of it was sent already. An event without a number always goes.
    /// </summary>
    public RoomEvent? Unsent(RoomEvent roomEvent)
    {
        if (roomEvent.Seq <= 0 || !_newest.TryGetValue(roomEvent.RoomId, out var newest))
        {
            return roomEvent;
        }

        if (roomEvent.Seq <= newest)
        {
            return null;
        }

        return roomEvent is ChatBatchEvent batch && batch.Messages.Any(m => m.Seq <= newest)
            ? batch with { Messages = batch.Messages.Where(m => m.Seq > newest).ToArray() }
            : roomEvent;
    }

    /// <summary><paramref name="roomEvent"/> was handed to SignalR.</summary>
    public void Sent(RoomEvent roomEvent)
    {
        if (roomEvent.Seq <= 0)
        {
            return;
        }

        if (_newest.Count >= maxRooms && !_newest.ContainsKey(roomEvent.RoomId))
        {
            _newest.Clear();
        }

        _newest[roomEvent.RoomId] = Math.Max(roomEvent.Seq, _newest.GetValueOrDefault(roomEvent.RoomId));
    }
}
