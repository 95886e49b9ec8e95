using Live.Contracts;
using Live.Contracts.Rooms;

namespace Live.Grains.Rooms;

/// <summary>
/// Who may moderate a room and whom moderation silences, over the room's stored <see cref="RoomModeration"/>. The
/// slow-mode clock (when each user last chatted) is not stored: a room that wakes up starts it afresh.
/// </summary>
/// <remarks>
/// Every list is bounded, since the room's whole state is rewritten with each of its writes: moderators and bans by
/// <see cref="LiveRoomOptions.MaxModerators"/> and <see cref="LiveRoomOptions.MaxBans"/>, mutes by their end.
/// </remarks>
internal sealed class RoomModerationRules(string roomId, RoomModeration moderation, LiveRoomOptions options)
{
    public const int MaxMuteSeconds = 7 * 24 * 3600;
    public const int MaxSlowModeSeconds = 3600;
    public const int MaxBlockedWords = 500;

    /// <summary>How many users' last-message times slow mode keeps before it drops those past the wait (then twice what is left).</summary>
    internal const int SlowModeTrackedFloor = 1024;

    // Each chatter's last accepted message under slow mode. Bounded: past _pruneAt entries, the times that no longer
    // hold anyone back go (amortized: the threshold doubles over what is left), so a long show with a changing
    // audience keeps only the chatters of the last wait.
    private readonly Dictionary<string, DateTimeOffset> _lastChatAt = [];
    private int _pruneAt = SlowModeTrackedFloor;

    /// <summary>How many users' last-message times slow mode holds now.</summary>
    internal int SlowModeTracked => _lastChatAt.Count;

    /// <summary>The host, or a user with the moderator role whom the host assigned to this room.</summary>
    public void RequireStaff(Room room, Actor actor)
    {
        if (actor.UserId != room.HostId && !(actor.IsModerator && moderation.Moderators.Contains(actor.UserId)))
        {
            throw LiveException.Forbidden($"only the host or a moderator of room {roomId} may do that");
        }
    }

    public void RequireNotBanned(string userId)
    {
        if (moderation.Banned.Contains(userId))
        {
            throw LiveException.Forbidden($"you are banned from room {roomId}");
        }
    }

    /// <summary>The users banned from the room, for a sale it opens (a copy).</summary>
    public IReadOnlyCollection<string> BannedUsers() => moderation.Banned.ToArray();

    /// <summary>
    /// Whether the assignment changed; past <see cref="LiveRoomOptions.MaxModerators"/> a new assignment is
    /// <c>conflict</c> and changes nothing (unassigning always works).
    /// </summary>
    public bool AssignModerator(string userId, bool assigned)
    {
        Ids.Require(userId, "userId", Ids.MaxUserIdLength);
        return SetMember(moderation.Moderators, userId, assigned, options.MaxModerators, $"a room has at most {options.MaxModerators} moderators");
    }

    /// <summary>
    /// Mutes <paramref name="userId"/> for <paramref name="seconds"/> from now; 0 unmutes. Every mute that has ended is
    /// dropped with it (<see cref="DropEndedMutes"/>).
    /// </summary>
    public void Mute(Room room, string userId, int seconds, DateTimeOffset now)
    {
        RequireTarget(room, userId);
        if (seconds < 0 || seconds > MaxMuteSeconds)
        {
            throw LiveException.Invalid($"durationSeconds must be 0 (unmute) to {MaxMuteSeconds}");
        }

        DropEndedMutes(now);
        if (seconds == 0)
        {
            moderation.MutedUntil.Remove(userId);
        }
        else
        {
            moderation.MutedUntil[userId] = now.AddSeconds(seconds);
        }
    }

    /// <summary>
    /// Whether the ban changed; past <see cref="LiveRoomOptions.MaxBans"/> a new ban is <c>conflict</c> and changes
    /// nothing (unbanning always works).
    /// </summary>
    public bool Ban(Room room, string userId, bool banned)
    {
        RequireTarget(room, userId);
        return SetMember(moderation.Banned, userId, banned, options.MaxBans, $"a room bans at most {options.MaxBans} users");
    }

    /// <summary>Adds or removes <paramref name="userId"/>; whether the set changed. A new member past <paramref name="max"/> is <c>conflict</c> and changes nothing.</summary>
    private static bool SetMember(HashSet<string> set, string userId, bool member, int max, string overLimit)
    {
        if (!member)
        {
            return set.Remove(userId);
        }

        if (set.Contains(userId))
        {
            return false;
        }

        return set.Count >= max ? throw LiveException.Conflict(overLimit) : set.Add(userId);
    }

    /// <summary>
    /// Takes back the slow-mode wait <see cref="ApproveChat"/> started for <paramref name="userId"/> at
    /// <paramref name="at"/>, for a message that was then not sent. Without it the user may chat at once: the wait it
    /// replaced had passed, or the message would have been refused.
    /// </summary>
    public void ForgetChat(string userId, DateTimeOffset at)
    {
        if (_lastChatAt.TryGetValue(userId, out var last) && last == at)
        {
            _lastChatAt.Remove(userId);
        }
    }

    /// <summary>A copy of the stored settings, for <see cref="Restore"/> to take a change back.</summary>
    public RoomModeration Copy() => new()
    {
        Moderators = new HashSet<string>(moderation.Moderators, moderation.Moderators.Comparer),
        MutedUntil = new Dictionary<string, DateTimeOffset>(moderation.MutedUntil, moderation.MutedUntil.Comparer),
        Banned = new HashSet<string>(moderation.Banned, moderation.Banned.Comparer),
        SlowModeSeconds = moderation.SlowModeSeconds,
        BlockedWords = [.. moderation.BlockedWords],
    };

    /// <summary>Puts the settings back as <paramref name="copy"/> (<see cref="Copy"/>) holds them, in the stored object.</summary>
    public void Restore(RoomModeration copy)
    {
        moderation.Moderators = copy.Moderators;
        moderation.MutedUntil = copy.MutedUntil;
        moderation.Banned = copy.Banned;
        moderation.SlowModeSeconds = copy.SlowModeSeconds;
        moderation.BlockedWords = copy.BlockedWords;
    }

    public void SetSlowMode(int seconds)
    {
        if (seconds < 0 || seconds > MaxSlowModeSeconds)
        {
            throw LiveException.Invalid($"seconds must be 0 (off) to {MaxSlowModeSeconds}");
        }

        moderation.SlowModeSeconds = seconds;
    }

    public void SetBlockedWords(IReadOnlyList<string> words)
    {
        if (words is null || words.Count > MaxBlockedWords)
        {
            throw LiveException.Invalid($"words must be a list of at most {MaxBlockedWords} words");
        }

        moderation.BlockedWords = words
            .Select(w => TextRules.Require(w, "word", 50))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>
    /// The text <paramref name="userId"/> may send now, cleaned, or a refusal: banned, muted, malformed, a blocked
    /// word, or too soon under slow mode. An accepted message restarts the user's slow-mode wait.
    /// </summary>
    public string ApproveChat(Room room, string userId, string text, DateTimeOffset now)
    {
        RequireNotSilenced(userId, now);
        var clean = TextRules.Require(text, "text", 500);
        if (moderation.BlockedWords.Find(w => clean.Contains(w, StringComparison.OrdinalIgnoreCase)) is not null)
        {
            throw LiveException.Invalid("the message contains a word this room does not allow");
        }

        // Unlike RequireStaff, no moderator role is asked for: a chat caller carries no roles, only the assignment.
        if (moderation.SlowModeSeconds > 0 && !IsHostOrAssignedModerator(room, userId))
        {
            if (_lastChatAt.TryGetValue(userId, out var last) && now - last < TimeSpan.FromSeconds(moderation.SlowModeSeconds))
            {
                throw LiveException.RateLimited($"slow mode: one message every {moderation.SlowModeSeconds} s");
            }

            _lastChatAt[userId] = now;
            if (_lastChatAt.Count >= _pruneAt)
            {
                var wait = TimeSpan.FromSeconds(moderation.SlowModeSeconds);
                foreach (var (user, at) in _lastChatAt)
                {
                    if (now - at >= wait)
                    {
                        _lastChatAt.Remove(user);
                    }
                }

                _pruneAt = Math.Max(SlowModeTrackedFloor, 2 * _lastChatAt.Count);
            }
        }

        return clean;
    }

    public ModerationView View() => new()
    {
        RoomId = roomId,
        Moderators = moderation.Moderators.Order(StringComparer.Ordinal).ToArray(),
        MutedUntil = new Dictionary<string, DateTimeOffset>(moderation.MutedUntil),
        Banned = moderation.Banned.Order(StringComparer.Ordinal).ToArray(),
        SlowModeSeconds = moderation.SlowModeSeconds,
        BlockedWords = moderation.BlockedWords.ToArray(),
    };

    /// <summary>
    /// Forgets the mutes that have ended. Chat drops a user's ended mute only when that user chats again, so a room that
    /// muted many passers-by would store them all for good; dropped whenever a mute is set (the only way the map grows,
    /// and a write of the room's state), the map holds at most the mutes set within the longest mute,
    /// <see cref="MaxMuteSeconds"/>.
    /// </summary>
    private void DropEndedMutes(DateTimeOffset now)
    {
        foreach (var (userId, until) in moderation.MutedUntil.ToArray())
        {
            if (until <= now)
            {
                moderation.MutedUntil.Remove(userId);
            }
        }
    }

    private bool IsHostOrAssignedModerator(Room room, string userId) =>
        room.HostId == userId || moderation.Moderators.Contains(userId);

    private void RequireTarget(Room room, string userId)
    {
        Ids.Require(userId, "userId", Ids.MaxUserIdLength);
        if (userId == room.HostId)
        {
            throw LiveException.Invalid("the host cannot be muted or banned");
        }
    }

    private void RequireNotSilenced(string userId, DateTimeOffset now)
    {
        RequireNotBanned(userId);
        if (moderation.MutedUntil.TryGetValue(userId, out var until))
        {
            if (until > now)
            {
                throw LiveException.Forbidden($"you are muted in room {roomId} until {until:O}");
            }

            moderation.MutedUntil.Remove(userId);
        }
    }
}
