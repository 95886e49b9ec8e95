using Live.Contracts.Notifications;
using Live.Contracts.Rooms;

namespace Live.Grains.Rooms;

/// <summary>
/// A room's chat on its way out: the messages not yet sent and the stored recent window. A room sends at most one
/// <see cref="ChatBatchEvent"/> per <see cref="LiveRoomOptions.ChatTick"/>, except that a quiet room pays no
/// batching delay (the leading edge).
/// </summary>
internal sealed class ChatBatcher(string roomId, List<ChatMessage> recent, LiveRoomOptions options)
{
    private readonly List<ChatMessage> _pending = [];
    private DateTimeOffset _flushedAt = DateTimeOffset.MinValue;

    public bool HasPending => _pending.Count > 0;

    /// <summary>The pending messages numbered above <paramref name="seq"/>, oldest first.</summary>
    public ChatMessage[] PendingAfter(long seq) => _pending.Where(m => m.Seq > seq).ToArray();

    /// <summary>
    /// Queues <paramref name="message"/> (numbered in the room's stream as it is accepted, so that a snapshot showing it
    /// stands after it) and keeps it among the recent ones, without its number. True when it should go out at once: the
    /// room sent no batch during the last tick. Messages that follow within the tick wait for it.
    /// </summary>
    public bool Add(ChatMessage message, DateTimeOffset now)
    {
        recent.Add(message with { Seq = null });
        if (recent.Count > options.RecentChatSize)
        {
            recent.RemoveRange(0, recent.Count - options.RecentChatSize);
        }

        _pending.Add(message);
        return now - _flushedAt >= options.ChatTick;
    }

    /// <summary>The batch of everything pending, or null when nothing is.</summary>
    public ChatBatchEvent? Flush(DateTimeOffset now)
    {
        if (_pending.Count == 0)
        {
            return null;
        }

        _flushedAt = now;
        var batch = new ChatBatchEvent { RoomId = roomId, Messages = _pending.ToArray(), Seq = _pending[^1].Seq ?? 0 };
        _pending.Clear();
        return batch;
    }

    public ChatDeletion Delete(string messageId)
    {
        var removed = recent.RemoveAll(m => m.Id == messageId) > 0;
        var pending = _pending.RemoveAll(m => m.Id == messageId) > 0;
        return pending ? ChatDeletion.Pending : removed ? ChatDeletion.Published : ChatDeletion.NotFound;
    }
}
