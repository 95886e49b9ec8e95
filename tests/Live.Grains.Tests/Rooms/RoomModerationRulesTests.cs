using Live.Contracts;
using Live.Contracts.Rooms;
using Live.Grains.Rooms;
using Live.Grains.Tests.Infrastructure;
using Microsoft.Extensions.Time.Testing;

namespace Live.Grains.Tests.Rooms;

public sealed class RoomModerationRulesTests
{
    private const string RoomId = "room-1";
    private const string HostId = "host-1";
    private const string UserId = "user-1";
    private const string ModeratorId = "mod-1";

    private static readonly Room Room = new()
    {
        Id = RoomId,
        HostId = HostId,
        Title = "Spring drop",
        Status = RoomStatus.Live,
    };

    private readonly FakeTimeProvider _time = new();
    private readonly RoomModeration _state = new();
    private readonly RoomModerationRules _rules;

    public RoomModerationRulesTests() => _rules = new RoomModerationRules(RoomId, _state, new LiveRoomOptions());

    [Fact]
    public void TheHostIsStaffWithoutTheModeratorRole()
    {
        _rules.RequireStaff(Room, new Actor { UserId = HostId, IsModerator = false });
    }

    [Fact]
    public void AnAssignedModeratorWithTheModeratorRoleIsStaff()
    {
        _rules.AssignModerator(ModeratorId, assigned: true);

        _rules.RequireStaff(Room, new Actor { UserId = ModeratorId, IsModerator = true });
    }

    [Fact]
    public void TheModeratorRoleWithoutAnAssignmentToTheRoomIsNotStaff()
    {
        Refusal.Expect(ErrorCodes.Forbidden, "only the host or a moderator of room room-1 may do that",
            () => _rules.RequireStaff(Room, new Actor { UserId = ModeratorId, IsModerator = true }));
    }

    [Fact]
    public void AnAssignmentWithoutTheModeratorRoleIsNotStaff()
    {
        _rules.AssignModerator(ModeratorId, assigned: true);

        Refusal.Expect(ErrorCodes.Forbidden, "only the host or a moderator of room room-1 may do that",
            () => _rules.RequireStaff(Room, new Actor { UserId = ModeratorId, IsModerator = false }));
    }

    [Fact]
    public void AnUnassignedModeratorIsNoLongerStaff()
    {
        _rules.AssignModerator(ModeratorId, assigned: true);
        _rules.AssignModerator(ModeratorId, assigned: false);

        Refusal.Expect(ErrorCodes.Forbidden, "only the host or a moderator of room room-1 may do that",
            () => _rules.RequireStaff(Room, new Actor { UserId = ModeratorId, IsModerator = true }));
    }

    [Fact]
    public void AssigningTellsWhetherAnythingChanged()
    {
        Assert.True(_rules.AssignModerator(ModeratorId, assigned: true));
        Assert.False(_rules.AssignModerator(ModeratorId, assigned: true));
        Assert.True(_rules.AssignModerator(ModeratorId, assigned: false));
        Assert.False(_rules.AssignModerator(ModeratorId, assigned: false));
        Assert.Empty(_state.Moderators);
    }

    [Fact]
    public void ARoomBansAtMostMaxBansUsersAndABanPastThatIsAConflictThatChangesNothing()
    {
        var rules = new RoomModerationRules(RoomId, _state, new LiveRoomOptions { MaxBans = 3 });
        foreach (var user in new[] { "user-a", "user-b", "user-c" })
        {
            Assert.True(rules.Ban(Room, user, banned: true));
        }

        Refusal.Expect(ErrorCodes.Conflict, "a room bans at most 3 users", () => rules.Ban(Room, "user-d", banned: true));
        Assert.Equal(["user-a", "user-b", "user-c"], _state.Banned.Order(StringComparer.Ordinal));
        rules.RequireNotBanned("user-d");

        // At the bound a ban already in place still answers as before, and unbanning makes room for another.
        Assert.False(rules.Ban(Room, "user-a", banned: true));
        Assert.True(rules.Ban(Room, "user-a", banned: false));
        Assert.True(rules.Ban(Room, "user-d", banned: true));
        Assert.Equal(["user-b", "user-c", "user-d"], _state.Banned.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ARoomHasAtMostMaxModeratorsAndAnAssignmentPastThatIsAConflictThatChangesNothing()
    {
        var rules = new RoomModerationRules(RoomId, _state, new LiveRoomOptions { MaxModerators = 2 });
        Assert.True(rules.AssignModerator("mod-a", assigned: true));
        Assert.True(rules.AssignModerator("mod-b", assigned: true));

        Refusal.Expect(ErrorCodes.Conflict, "a room has at most 2 moderators", () => rules.AssignModerator("mod-c", assigned: true));
        Assert.Equal(["mod-a", "mod-b"], _state.Moderators.Order(StringComparer.Ordinal));

        Assert.False(rules.AssignModerator("mod-a", assigned: true));
        Assert.True(rules.AssignModerator("mod-a", assigned: false));
        Assert.True(rules.AssignModerator("mod-c", assigned: true));
        Assert.Equal(["mod-b", "mod-c"], _state.Moderators.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void ByDefaultARoomBansUpTo10000UsersAndHasUpTo100Moderators() =>
        Assert.Equal((10_000, 100), (new LiveRoomOptions().MaxBans, new LiveRoomOptions().MaxModerators));

    [Fact]
    public void AModeratorMustBeAWellFormedUserId()
    {
        Refusal.Expect(ErrorCodes.InvalidArgument, "userId must be 1 to 256 printable ASCII characters",
            () => _rules.AssignModerator("not an id", assigned: true));
        Assert.Empty(_state.Moderators);
    }

    [Fact]
    public void AMutedUserCannotChatUntilTheMuteEnds()
    {
        var now = _time.GetUtcNow();
        _rules.Mute(Room, UserId, 60, now);
        Assert.Equal(now.AddSeconds(60), _state.MutedUntil[UserId]);

        _time.Advance(TimeSpan.FromSeconds(59));
        Refusal.Expect(ErrorCodes.Forbidden, $"you are muted in room room-1 until {now.AddSeconds(60):O}",
            () => _rules.ApproveChat(Room, UserId, "hello", _time.GetUtcNow()));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("hello", _rules.ApproveChat(Room, UserId, "hello", _time.GetUtcNow()));
        Assert.Empty(_state.MutedUntil);
    }

    [Fact]
    public void MutesThatEndedAreDroppedWhenAMuteIsSetOrLiftedThoseStillRunningAreKept()
    {
        var start = _time.GetUtcNow();
        _rules.Mute(Room, "user-a", 60, start);
        _rules.Mute(Room, "user-b", 600, start);
        _rules.Mute(Room, "user-c", 120, start);

        // user-a's mute ended (at exactly its end, as chat sees it) and they never chatted again.
        _time.Advance(TimeSpan.FromSeconds(60));
        _rules.Mute(Room, "user-d", 60, _time.GetUtcNow());

        Assert.Equal(["user-b", "user-c", "user-d"], _state.MutedUntil.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(start.AddSeconds(600), _state.MutedUntil["user-b"]);

        // Lifting a mute drops the ended ones too.
        _time.Advance(TimeSpan.FromSeconds(61));
        _rules.Mute(Room, "user-b", 0, _time.GetUtcNow());

        Assert.Empty(_state.MutedUntil);
    }

    [Fact]
    public void MutingForZeroSecondsUnmutes()
    {
        _rules.Mute(Room, UserId, 60, _time.GetUtcNow());

        _rules.Mute(Room, UserId, 0, _time.GetUtcNow());

        Assert.Empty(_state.MutedUntil);
        Assert.Equal("hello", _rules.ApproveChat(Room, UserId, "hello", _time.GetUtcNow()));
    }

    [Fact]
    public void AMuteLastsAtMostAWeek()
    {
        const string message = "durationSeconds must be 0 (unmute) to 604800";
        Refusal.Expect(ErrorCodes.InvalidArgument, message, () => _rules.Mute(Room, UserId, -1, _time.GetUtcNow()));
        Refusal.Expect(ErrorCodes.InvalidArgument, message, () => _rules.Mute(Room, UserId, 604_801, _time.GetUtcNow()));
        Assert.Empty(_state.MutedUntil);

        _rules.Mute(Room, UserId, 604_800, _time.GetUtcNow());
        Assert.Equal(_time.GetUtcNow().AddDays(7), _state.MutedUntil[UserId]);
    }

    [Fact]
    public void TheHostCannotBeMutedOrBanned()
    {
        const string message = "the host cannot be muted or banned";
        Refusal.Expect(ErrorCodes.InvalidArgument, message, () => _rules.Mute(Room, HostId, 60, _time.GetUtcNow()));
        Refusal.Expect(ErrorCodes.InvalidArgument, message, () => _rules.Ban(Room, HostId, banned: true));
        Assert.Empty(_state.MutedUntil);
        Assert.Empty(_state.Banned);
    }

    [Fact]
    public void ABannedUserCannotJoinLikeOrChatUntilUnbanned()
    {
        Assert.True(_rules.Ban(Room, UserId, banned: true));
        Assert.False(_rules.Ban(Room, UserId, banned: true));

        Refusal.Expect(ErrorCodes.Forbidden, "you are banned from room room-1", () => _rules.RequireNotBanned(UserId));
        Refusal.Expect(ErrorCodes.Forbidden, "you are banned from room room-1",
            () => _rules.ApproveChat(Room, UserId, "hello", _time.GetUtcNow()));

        Assert.True(_rules.Ban(Room, UserId, banned: false));
        Assert.False(_rules.Ban(Room, UserId, banned: false));
        _rules.RequireNotBanned(UserId);
        Assert.Equal("hello", _rules.ApproveChat(Room, UserId, "hello", _time.GetUtcNow()));
    }

    [Fact]
    public void ABanOutranksAMute()
    {
        _rules.Mute(Room, UserId, 60, _time.GetUtcNow());
        _rules.Ban(Room, UserId, banned: true);

        Refusal.Expect(ErrorCodes.Forbidden, "you are banned from room room-1",
            () => _rules.ApproveChat(Room, UserId, "hello", _time.GetUtcNow()));
    }

    [Fact]
    public void SlowModeLetsAUserChatOncePerInterval()
    {
        _rules.SetSlowMode(5);
        _rules.ApproveChat(Room, UserId, "one", _time.GetUtcNow());

        _time.Advance(TimeSpan.FromSeconds(4));
        Refusal.Expect(ErrorCodes.RateLimited, "slow mode: one message every 5 s",
            () => _rules.ApproveChat(Room, UserId, "two", _time.GetUtcNow()));

        // The refused message did not restart the wait.
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("three", _rules.ApproveChat(Room, UserId, "three", _time.GetUtcNow()));
    }

    [Fact]
    public void AMessageThatWasNotSentDoesNotStartTheWaitButALaterOneKeepsItsOwn()
    {
        _rules.SetSlowMode(5);
        var first = _time.GetUtcNow();
        _rules.ApproveChat(Room, UserId, "one", first);

        // The room could not number it (storage out of reach): the retry a second later goes through.
        _rules.ForgetChat(UserId, first);
        _time.Advance(TimeSpan.FromSeconds(1));
        var retried = _time.GetUtcNow();
        Assert.Equal("one", _rules.ApproveChat(Room, UserId, "one", retried));

        // Forgetting another message's time leaves the retry's wait in place.
        _rules.ForgetChat(UserId, first);
        Refusal.Expect(ErrorCodes.RateLimited, "slow mode: one message every 5 s",
            () => _rules.ApproveChat(Room, UserId, "two", _time.GetUtcNow()));
    }

    [Fact]
    public void TheModerationSettingsCopiedBeforeAChangeArePutBackWhole()
    {
        _rules.AssignModerator(ModeratorId, assigned: true);
        _rules.SetBlockedWords(["fake"]);
        var before = _rules.Copy();

        _rules.Ban(Room, UserId, banned: true);
        _rules.Mute(Room, "user-2", 60, _time.GetUtcNow());
        _rules.AssignModerator(ModeratorId, assigned: false);
        _rules.SetSlowMode(30);
        _rules.SetBlockedWords(["replica", "copy"]);
        _rules.Restore(before);

        var view = _rules.View();
        Assert.Empty(view.Banned);
        Assert.Empty(view.MutedUntil);
        Assert.Equal([ModeratorId], view.Moderators);
        Assert.Equal(0, view.SlowModeSeconds);
        Assert.Equal(["fake"], view.BlockedWords);
        Assert.Equal("hello", _rules.ApproveChat(Room, UserId, "hello", _time.GetUtcNow()));
    }

    [Fact]
    public void SlowModeKeepsOnlyTheChattersOfTheLastWaitAsTheAudienceChanges()
    {
        _rules.SetSlowMode(5);

        // A show with a changing audience: each second new users chat once and leave.
        for (var second = 0; second < 60; second++)
        {
            for (var i = 0; i < 200; i++)
            {
                _rules.ApproveChat(Room, $"user-{second}-{i}", "hi", _time.GetUtcNow());
            }

            _time.Advance(TimeSpan.FromSeconds(1));
        }

        // 12,000 chatters went by; what is kept is bounded by the floor or twice the chatters of one wait (5 s × 200).
        Assert.InRange(_rules.SlowModeTracked, 1, Math.Max(RoomModerationRules.SlowModeTrackedFloor, 2 * 5 * 200));

        // Pruning never lets anyone inside their wait chat again.
        var last = "user-59-199";
        Refusal.Expect(ErrorCodes.RateLimited, "slow mode: one message every 5 s",
            () => _rules.ApproveChat(Room, last, "again", _time.GetUtcNow()));
    }

    [Fact]
    public void SlowModeCountsEachUserApart()
    {
        _rules.SetSlowMode(5);

        _rules.ApproveChat(Room, UserId, "one", _time.GetUtcNow());

        Assert.Equal("hi", _rules.ApproveChat(Room, "user-2", "hi", _time.GetUtcNow()));
    }

    [Fact]
    public void TheHostAndAssignedModeratorsAreExemptFromSlowMode()
    {
        _rules.SetSlowMode(5);
        _rules.AssignModerator(ModeratorId, assigned: true);

        for (var i = 0; i < 3; i++)
        {
            _rules.ApproveChat(Room, HostId, "from the host", _time.GetUtcNow());
            _rules.ApproveChat(Room, ModeratorId, "from the moderator", _time.GetUtcNow());
        }
    }

    [Fact]
    public void WithoutSlowModeUsersChatFreely()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal("again", _rules.ApproveChat(Room, UserId, "again", _time.GetUtcNow()));
        }
    }

    [Fact]
    public void SlowModeIsZeroToAnHour()
    {
        const string message = "seconds must be 0 (off) to 3600";
        Refusal.Expect(ErrorCodes.InvalidArgument, message, () => _rules.SetSlowMode(-1));
        Refusal.Expect(ErrorCodes.InvalidArgument, message, () => _rules.SetSlowMode(3601));
        Assert.Equal(0, _state.SlowModeSeconds);

        _rules.SetSlowMode(3600);
        Assert.Equal(3600, _state.SlowModeSeconds);
    }

    [Fact]
    public void ABlockedWordRefusesAMessageContainingItInAnyCase()
    {
        _rules.SetBlockedWords(["spam"]);

        Refusal.Expect(ErrorCodes.InvalidArgument, "the message contains a word this room does not allow",
            () => _rules.ApproveChat(Room, UserId, "such SPAMmy deals", _time.GetUtcNow()));
        Assert.Equal("fine deals", _rules.ApproveChat(Room, UserId, "fine deals", _time.GetUtcNow()));
    }

    [Fact]
    public void AMessageRefusedForABlockedWordDoesNotStartTheSlowModeWait()
    {
        _rules.SetSlowMode(5);
        _rules.SetBlockedWords(["spam"]);

        Assert.Throws<LiveException>(() => _rules.ApproveChat(Room, UserId, "spam", _time.GetUtcNow()));

        Assert.Equal("hello", _rules.ApproveChat(Room, UserId, "hello", _time.GetUtcNow()));
    }

    [Fact]
    public void BlockedWordsAreTrimmedAndKeptOncePerWordIgnoringCase()
    {
        _rules.SetBlockedWords(["  Spam ", "SPAM", "scam"]);

        Assert.Equal(["Spam", "scam"], _state.BlockedWords);
    }

    [Fact]
    public void BlockedWordsAreAListOfAtMost500()
    {
        const string message = "words must be a list of at most 500 words";
        Refusal.Expect(ErrorCodes.InvalidArgument, message, () => _rules.SetBlockedWords(null!));
        Refusal.Expect(ErrorCodes.InvalidArgument, message,
            () => _rules.SetBlockedWords(Enumerable.Range(0, 501).Select(i => $"w{i}").ToArray()));
        Refusal.Expect(ErrorCodes.InvalidArgument, "word must be 1 to 50 characters", () => _rules.SetBlockedWords([" "]));
        Assert.Empty(_state.BlockedWords);

        _rules.SetBlockedWords(Enumerable.Range(0, 500).Select(i => $"w{i}").ToArray());
        Assert.Equal(500, _state.BlockedWords.Count);
    }

    [Fact]
    public void ChatTextIsTrimmedAndMustNotBeEmpty()
    {
        Assert.Equal("hi there", _rules.ApproveChat(Room, UserId, "  hi there \n", _time.GetUtcNow()));
        Refusal.Expect(ErrorCodes.InvalidArgument, "text must be 1 to 500 characters",
            () => _rules.ApproveChat(Room, UserId, "   ", _time.GetUtcNow()));
    }

    [Fact]
    public void TheViewListsModeratorsAndBansInOrderAndCopiesTheMutes()
    {
        _rules.AssignModerator("mod-b", assigned: true);
        _rules.AssignModerator("mod-a", assigned: true);
        _rules.Ban(Room, "user-b", banned: true);
        _rules.Ban(Room, "user-a", banned: true);
        _rules.Mute(Room, UserId, 60, _time.GetUtcNow());
        _rules.SetSlowMode(10);
        _rules.SetBlockedWords(["spam"]);

        var view = _rules.View();
        _rules.Mute(Room, "user-2", 60, _time.GetUtcNow());

        Assert.Equal(RoomId, view.RoomId);
        Assert.Equal(["mod-a", "mod-b"], view.Moderators);
        Assert.Equal(["user-a", "user-b"], view.Banned);
        Assert.Equal(UserId, Assert.Single(view.MutedUntil).Key);
        Assert.Equal(_time.GetUtcNow().AddSeconds(60), view.MutedUntil[UserId]);
        Assert.Equal(10, view.SlowModeSeconds);
        Assert.Equal(["spam"], view.BlockedWords);
    }
}
