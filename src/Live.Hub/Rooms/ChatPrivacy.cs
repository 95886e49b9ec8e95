using System.Security.Cryptography;
using System.Text;
using Live.Contracts.Notifications;
using Live.Contracts.Rooms;

namespace Live.Hub.Rooms;

/// <summary>
/// What an anonymous caller sees of who chatted. A chatter's user id is the identity provider's subject (often the
/// shop's customer number): a display name is all an anonymous page needs, so in answers to anonymous callers each
/// <c>userId</c> in <c>recentChat</c> becomes a pseudonym, <c>anon-</c> and 12 hex digits, the same for one chatter in
/// one room (clients may still group by it) and unlinkable across rooms. The field stays, so a v1 client reads the same
/// shape. The room's host keeps its id, which <c>room.hostId</c> shows anyway.
/// </summary>
public sealed class ChatPrivacy : IDisposable
{
    public const string Prefix = "anon-";

    // Per process: a pseudonym must not be reversible by hashing guessed ids; across hub servers they differ, which
    // an anonymous page (one server at a time) does not notice.
    private readonly HMACSHA256 _key = new(RandomNumberGenerator.GetBytes(32));

    public RoomSnapshot ForAnonymous(RoomSnapshot snapshot) => snapshot with
    {
        RecentChat = [.. snapshot.RecentChat.Select(m => Shown(m, snapshot.Room.HostId))],
    };

    /// <summary>
    /// A resume's events as an anonymous connection gets them: each chat message's <c>userId</c> other than the host's
    /// a pseudonym, as in <see cref="ForAnonymous(RoomSnapshot)"/> (the retained window holds minutes of chat, more
    /// history than a snapshot's 50 messages).
    /// </summary>
    public IReadOnlyList<RoomEvent> ForAnonymous(IReadOnlyList<RoomEvent> events, string? hostId) =>
    [
        .. events.Select(e => e is ChatBatchEvent batch
            ? batch with { Messages = [.. batch.Messages.Select(m => Shown(m, hostId))] }
            : e),
    ];

    /// <summary>A message as an anonymous caller sees it: its sender a pseudonym, unless that is the host.</summary>
    private ChatMessage Shown(ChatMessage message, string? hostId) =>
        message.UserId == hostId ? message : message with { UserId = Pseudonym(message.RoomId, message.UserId) };

    public string Pseudonym(string roomId, string userId)
    {
        Span<byte> hash = stackalloc byte[32];
        lock (_key)
        {
            _key.TryComputeHash(Encoding.UTF8.GetBytes($"{roomId}\n{userId}"), hash, out _);
        }

        return Prefix + Convert.ToHexStringLower(hash[..6]);
    }

    public void Dispose() => _key.Dispose();
}
