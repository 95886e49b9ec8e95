using Live.Client.Models;
using Live.Client.Streams;

namespace Live.Client.Tests.Streams;

/// <summary>The room stream's ordering rules (PROTOCOL.md v1.3) without a server: what is delivered, dropped, buffered and resumed.</summary>
public sealed class RoomStreamStateTests
{
    private const string Room = "room-1";
    private const string Epoch = "e1";

    [Fact]
    public void LiveEventsBeforeTheJoinAnswerWaitAndThoseTheSnapshotReflectsAreDropped()
    {
        var state = new RoomStreamState();
        Assert.Empty(state.Offer(Chat(9)).Deliver);
        Assert.Empty(state.Offer(Chat(10)).Deliver);
        Assert.Empty(state.Offer(Chat(11)).Deliver);

        var step = state.Snapshot(Snapshot(seq: 10));

        Assert.Null(step.Resume);
        Assert.Equal([RoomStreamItem.Snapshot, "ChatBatch"], step.Deliver.Select(i => i.Event));
        Assert.Equal([10L, 11L], step.Deliver.Select(i => i.Seq!.Value));
        Assert.Equal(2, state.Duplicates);
        Assert.Equal(11, state.Seq);
        Assert.Equal(new ResumePoint(Epoch, 11), state.ResumePoint);
    }

    [Fact]
    public void AnEventAtOrBelowTheNewestSeqIsDroppedAsADuplicate()
    {
        var state = Joined(seq: 5);
        Assert.Single(state.Offer(Chat(6)).Deliver);
        Assert.Empty(state.Offer(Chat(6)).Deliver);
        Assert.Empty(state.Offer(Chat(3)).Deliver);
        Assert.Single(state.Offer(Chat(7)).Deliver);
        Assert.Equal(2, state.Duplicates);
        Assert.Equal(0, state.Gaps);
    }

    [Fact]
    public void AGapAsksForAResumeFromTheNewestSeqAndHoldsWhatFollowsUntilTheAnswer()
    {
        var state = Joined(seq: 5);
        var step = state.Offer([Chat(6), Chat(9), Chat(10)]);

        Assert.Equal([6L], step.Deliver.Select(i => i.Seq!.Value));
        Assert.Equal(new ResumePoint(Epoch, 6), step.Resume);
        Assert.Equal(RoomStreamPhase.Resuming, state.Phase);
        Assert.Equal(1, state.Gaps);

        // More live events while the resume is out: they wait, and ask for no second resume.
        var meanwhile = state.Offer(Chat(11));
        Assert.Empty(meanwhile.Deliver);
        Assert.Null(meanwhile.Resume);

        var answer = state.Resume(Resumed(10, Entry(7, "ChatBatch", new[] { Message(7), Message(8) }), Entry(9, "ChatBatch", new[] { Message(9) }), Entry(10, "ChatBatch", new[] { Message(10) })));

        Assert.Null(answer.Resume);
        Assert.Equal([7L, 8L, 9L, 10L, 11L], answer.Deliver.Select(i => i.Seq!.Value));
        Assert.Equal(RoomStreamPhase.Live, state.Phase);
        Assert.Equal(11, state.Seq);
    }

    [Fact]
    public void AnAnswerThatCannotResumeStartsAgainFromItsSnapshotThenWhatWaitedAfterIt()
    {
        var state = Joined(seq: 5);
        var gap = state.Offer([Chat(40), Chat(41)]);
        Assert.NotNull(gap.Resume);

        var step = state.Resume(new RoomResume { Resumed = false, Epoch = "e2", Seq = 40, Snapshot = Snapshot(seq: 40, epoch: "e2") });

        Assert.Equal([RoomStreamItem.Snapshot, "ChatBatch"], step.Deliver.Select(i => i.Event));
        Assert.Equal(41, step.Deliver[1].Seq);
        Assert.Equal(new ResumePoint("e2", 41), state.ResumePoint);
        Assert.Equal(2, state.Resets);
    }

    [Fact]
    public void FoldedLatestValueEventsInAnAnswerSkipSeqsWithoutAGap()
    {
        var state = Joined(seq: 5);
        state.Offer(Chat(9));
        var step = state.Resume(Resumed(
            8,
            Entry(6, "ChatBatch", new[] { Message(6) }),
            Entry(8, "ViewerCount", new ViewerCountUpdate { RoomId = Room, Viewers = 12, Seq = 8 })));

        Assert.Equal([6L, 8L, 9L], step.Deliver.Select(i => i.Seq!.Value));
        Assert.Equal(12, Assert.IsType<ViewerCountUpdate>(step.Deliver[1].Data).Viewers);
        Assert.Equal(1, state.Gaps); // the live one that asked for the answer; none inside it
        Assert.Null(step.Resume);
    }

    [Fact]
    public void AfterAReconnectLiveEventsWaitForTheResumeAndNothingIsSeenTwice()
    {
        var state = Joined(seq: 5);
        state.Offer([Chat(6), Chat(7)]);
        state.ConnectionLost();
        Assert.Equal(new ResumePoint(Epoch, 7), state.ResumePoint);

        // The new connection's first live events come before the resume's answer, which covers some of them.
        Assert.Empty(state.Offer([Chat(10), Chat(11)]).Deliver);
        var step = state.Resume(Resumed(10, Entry(8, "ChatBatch", new[] { Message(8), Message(9) }), Entry(10, "ChatBatch", new[] { Message(10) })));

        Assert.Equal([8L, 9L, 10L, 11L], step.Deliver.Select(i => i.Seq!.Value));
        Assert.Equal(1, state.Duplicates);
    }

    [Fact]
    public void AServerWithoutTheEventStreamGetsEverythingAsItComesAndJoinsAgainOnReconnect()
    {
        var state = new RoomStreamState();
        state.Offer(new RoomStreamItem("ChatBatch", null, Message(null)));
        var step = state.Snapshot(Snapshot(seq: null, epoch: null));

        Assert.Equal(2, step.Deliver.Count);
        Assert.False(state.Sequenced);
        Assert.Null(state.ResumePoint);
        Assert.Equal(2, state.Offer([new RoomStreamItem("ChatBatch", null, Message(null)), new RoomStreamItem("ChatBatch", null, Message(null))]).Deliver.Count);
        Assert.Equal(0, state.Duplicates);
    }

    [Fact]
    public void ARefusedResumeGivesTheGapUpAndDeliversWhatWaited()
    {
        var state = Joined(seq: 5);
        Assert.NotNull(state.Offer([Chat(8), Chat(9)]).Resume);

        var step = state.ResumeFailed();

        Assert.Equal([8L, 9L], step.Deliver.Select(i => i.Seq!.Value));
        Assert.Equal(RoomStreamPhase.Live, state.Phase);
        Assert.Single(state.Offer(Chat(10)).Deliver);
    }

    [Fact]
    public void AGapGivenUpStillDropsTheDuplicatesThatWaitedWithIt()
    {
        var state = Joined(seq: 5);
        Assert.NotNull(state.Offer(Chat(8)).Resume);

        // A push that timed out sends its events again: 5 is one this client has.
        Assert.Empty(state.Offer([Chat(5), Chat(9)]).Deliver);
        var step = state.ResumeFailed();

        Assert.Equal([8L, 9L], step.Deliver.Select(i => i.Seq!.Value));
        Assert.Null(step.Resume);
        Assert.Equal(1, state.Duplicates);
        Assert.Equal(9, state.Seq);
    }

    [Fact]
    public void TheBufferIsBoundedAndWhatOverflowsShowsAsAGap()
    {
        var state = new RoomStreamState(maxBuffered: 3);
        foreach (var seq in new long[] { 6, 7, 8, 9, 10 })
        {
            state.Offer(Chat(seq));
        }

        Assert.Equal(3, state.Buffered);
        Assert.Equal(2, state.Overflowed);
        var step = state.Snapshot(Snapshot(seq: 5));
        Assert.Equal([RoomStreamItem.Snapshot], step.Deliver.Select(i => i.Event));
        Assert.Equal(new ResumePoint(Epoch, 5), step.Resume);
    }

    [Fact]
    public void ResyncWhileLiveAsksOnceAndAnEmptyAnswerChangesNothing()
    {
        var state = Joined(seq: 5);
        Assert.True(state.BeginResync());
        Assert.False(state.BeginResync());
        var step = state.Resume(Resumed(5));
        Assert.Empty(step.Deliver);
        Assert.Equal(RoomStreamPhase.Live, state.Phase);
        Assert.Equal(5, state.Seq);
    }

    [Fact]
    public void AHeartbeatAheadOfTheNewestSeqAsksForAResumeAndOneThatIsNotChangesNothing()
    {
        var state = Joined(seq: 5);
        Assert.Single(state.Offer(Chat(6)).Deliver);

        // Nothing missed: the room has sent up to 6 (or less, a heartbeat that crossed the event).
        Assert.False(state.Heartbeat(Epoch, 6));
        Assert.False(state.Heartbeat(Epoch, 5));
        Assert.Equal(RoomStreamPhase.Live, state.Phase);
        Assert.Equal(0, state.Gaps);

        // The room sent 7 and 8 and went quiet: the client's last events were lost.
        Assert.True(state.Heartbeat(Epoch, 8));
        Assert.Equal(RoomStreamPhase.Resuming, state.Phase);
        Assert.Equal(new ResumePoint(Epoch, 6), state.ResumePoint);
        Assert.Equal(1, state.Gaps);

        // While the answer is out, another heartbeat asks for nothing more.
        Assert.False(state.Heartbeat(Epoch, 8));
        var step = state.Resume(Resumed(8, Entry(7, "ChatBatch", new[] { Message(7) }), Entry(8, "ChatBatch", new[] { Message(8) })));
        Assert.Equal([7L, 8L], step.Deliver.Select(i => i.Seq!.Value));
        Assert.False(state.Heartbeat(Epoch, 8));
    }

    [Fact]
    public void AHeartbeatOfAnotherEpochAsksForAResumeAndNoneIsAskedBeforeTheStreamIsPositioned()
    {
        var waiting = new RoomStreamState();
        Assert.False(waiting.Heartbeat(Epoch, 3));

        var state = Joined(seq: 5);
        Assert.True(state.Heartbeat("e2", 1));
        Assert.Equal(new ResumePoint(Epoch, 5), state.ResumePoint);
    }

    /// <summary>
    /// A room's stream through a lossy, duplicating connection with reconnects, against the room's own history:
    /// whatever is lost, repeated or reconnected, the client delivers every event once, in order.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void EveryEventIsDeliveredOnceInOrderWhateverTheConnectionLosesOrRepeats(int seed)
    {
        var random = new Random(seed);
        const int Total = 2_000;
        var state = new RoomStreamState();
        var delivered = new List<long>();
        ResumePoint? pending = null;
        var joinedAt = 0L;

        void Take(RoomStreamStep step)
        {
            delivered.AddRange(step.Deliver.Where(i => i.Event == "ChatBatch").Select(i => i.Seq!.Value));
            pending ??= step.Resume;
        }

        RoomResume Answer(ResumePoint from, long newest) => Resumed(
            newest,
            [.. Enumerable.Range((int)from.Seq + 1, (int)(newest - from.Seq)).Select(s => Entry(s, "ChatBatch", new[] { Message(s) }))]);

        // Events 1..10 happened before the join: the snapshot reflects them.
        Take(state.Snapshot(Snapshot(seq: 10)));
        joinedAt = 10;
        for (long seq = 11; seq <= Total; seq++)
        {
            var roll = random.NextDouble();
            if (roll < 0.05)
            {
                // Lost on the way: a gap.
            }
            else if (roll < 0.10)
            {
                Take(state.Offer([Chat(seq), Chat(seq)]));
            }
            else if (roll < 0.12)
            {
                state.ConnectionLost();
                Take(state.Resume(Answer(state.ResumePoint!, seq - 1)));
                Take(state.Offer(Chat(seq)));
            }
            else
            {
                Take(state.Offer(Chat(seq)));
            }

            // The server answers a gap's resume after a few more live events have come (or at once).
            if (pending is not null && random.NextDouble() < 0.5)
            {
                var from = pending;
                pending = null;
                Take(state.Resume(Answer(from, seq)));
            }
        }

        if (pending is not null)
        {
            Take(state.Resume(Answer(pending, Total)));
        }

        // The last event's loss shows at no later event: a client that has heard nothing for a while resumes anyway.
        Assert.True(state.BeginResync());
        Take(state.Resume(Answer(state.ResumePoint!, Total)));

        Assert.Equal(Enumerable.Range((int)joinedAt + 1, Total - (int)joinedAt).Select(i => (long)i), delivered);
        Assert.True(state.Gaps > 0 && state.Duplicates > 0, $"the run had {state.Gaps} gaps and {state.Duplicates} duplicates");
    }

    private static RoomStreamState Joined(long seq)
    {
        var state = new RoomStreamState();
        state.Snapshot(Snapshot(seq));
        return state;
    }

    private static RoomSnapshot Snapshot(long? seq, string? epoch = Epoch) =>
        new() { Room = new Room { Id = Room, Title = "t", Status = RoomStatuses.Live }, Epoch = epoch, Seq = seq };

    private static ChatMessage Message(long? seq) =>
        new() { Id = $"m{seq}", RoomId = Room, UserId = "u", DisplayName = "U", Text = $"hello {seq}", SentAt = DateTimeOffset.UnixEpoch, Seq = seq };

    private static RoomStreamItem Chat(long seq) => new(LiveHubNames.ChatBatch, seq, Message(seq));

    private static ResumedEvent Entry<T>(long seq, string name, T data) => new() { Event = name, Seq = seq, Data = EventData.From(data) };

    private static RoomResume Resumed(long seq, params ResumedEvent[] events) =>
        new() { Resumed = true, Epoch = Epoch, Seq = seq, Events = events };
}
