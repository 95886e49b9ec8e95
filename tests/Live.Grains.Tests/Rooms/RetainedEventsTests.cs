using Live.Contracts.FlashSales;
using Live.Contracts.Notifications;
using Live.Contracts.Rooms;
using Live.Grains.Rooms;
using Microsoft.Extensions.Time.Testing;

namespace Live.Grains.Tests.Rooms;

public sealed class RetainedEventsTests
{
    private const string RoomId = "room-1";

    private readonly FakeTimeProvider _time = new();
    private long _seq;

    [Fact]
    public void ResumingAnswersEveryEventAfterTheSeqInOrder()
    {
        var window = Window(floor: 0);
        var pinned = Append(window, new ProductUnpinnedEvent { RoomId = RoomId });
        var chat = AppendChat(window, "a", "b");
        var deleted = Append(window, new ChatDeletedEvent { RoomId = RoomId, MessageId = "a" });

        var all = window.After(0)!;
        Assert.Equal([pinned.Seq, chat.Seq, deleted.Seq], all.Select(e => e.Seq));
        Assert.Equal([2L, 3], ((ChatBatchEvent)all[1]).Messages.Select(m => m.Seq!.Value));

        Assert.Equal([deleted], window.After(3)!);
        Assert.Empty(window.After(4)!);
        Assert.Null(window.After(5));
    }

    [Fact]
    public void ADeletedMessageLeavesTheWindowAndItsHandoffButItsDeletionStays()
    {
        var window = Window(floor: 0);
        AppendChat(window, "a", "abuse", "b");
        var deletion = Append(window, new ChatDeletedEvent { RoomId = RoomId, MessageId = "abuse" });

        Assert.True(window.Forget("abuse"));
        Assert.False(window.Forget("abuse"));

        var events = window.After(0)!;
        Assert.Equal(["a", "b"], Assert.IsType<ChatBatchEvent>(events[0]).Messages.Select(m => m.Text));
        Assert.Equal(deletion, events[1]);
        Assert.Equal([deletion], window.After(3)!);

        // The next activation gets the same window, the message not in it.
        var handoff = window.Export("ep_1");
        Assert.DoesNotContain(handoff.Events, i => i.Event is ChatBatchEvent b && b.Messages.Any(m => m.Id == "abuse"));
        var restored = RetainedEvents.Restore(RoomId, handoff, new LiveRoomOptions(), _time.GetUtcNow());
        Assert.Equal(4, restored.Last);
        Assert.Equal(3, restored.After(0)!.Sum(e => e is ChatBatchEvent b ? b.Messages.Count : 1));
    }

    [Fact]
    public void AForgottenMessagePutBackIsInTheWindowAgainWhereItWas()
    {
        var window = Window(floor: 0);
        AppendChat(window, "a", "abuse", "b");
        var copy = window.Copy();

        Assert.True(window.Forget("abuse"));
        window.PutBack(copy);

        Assert.Equal(["a", "abuse", "b"], Assert.IsType<ChatBatchEvent>(Assert.Single(window.After(0)!)).Messages.Select(m => m.Text));
        Assert.Equal((0L, 3L, 3), (window.Floor, window.Last, window.Count));
        Assert.True(window.Forget("abuse"));
    }

    [Fact]
    public void AResumeInsideABatchGetsOnlyTheMessagesAfterIt()
    {
        var window = Window(floor: 0);
        AppendChat(window, "a", "b", "c");

        var rest = Assert.IsType<ChatBatchEvent>(Assert.Single(window.After(1)!));

        Assert.Equal(["b", "c"], rest.Messages.Select(m => m.Text));
        Assert.Equal(3, rest.Seq);
    }

    [Fact]
    public void ChatOnEitherSideOfAnotherEventStaysInTwoBatches()
    {
        var window = Window(floor: 0);
        AppendChat(window, "a");
        Append(window, new ProductUnpinnedEvent { RoomId = RoomId });
        AppendChat(window, "b");
        AppendChat(window, "c");

        var events = window.After(0)!;

        Assert.Collection(
            events,
            e => Assert.Equal(["a"], Assert.IsType<ChatBatchEvent>(e).Messages.Select(m => m.Text)),
            e => Assert.IsType<ProductUnpinnedEvent>(e),
            e => Assert.Equal(["b", "c"], Assert.IsType<ChatBatchEvent>(e).Messages.Select(m => m.Text)));
    }

    [Fact]
    public void LatestValueEventsAreFoldedIntoTheirNewest()
    {
        var window = Window(floor: 0);
        Append(window, new ViewerCountEvent { RoomId = RoomId, Viewers = 1 });
        Append(window, new LikesUpdatedEvent { RoomId = RoomId, Likes = 5 });
        Append(window, Progress("sale-1", remaining: 9));
        Append(window, Progress("sale-2", remaining: 4));
        var viewers = Append(window, new ViewerCountEvent { RoomId = RoomId, Viewers = 2 });
        var sale1 = Append(window, Progress("sale-1", remaining: 8));
        var likes = Append(window, new LikesUpdatedEvent { RoomId = RoomId, Likes = 7 });

        var events = window.After(0)!;

        Assert.Equal([4L, viewers.Seq, sale1.Seq, likes.Seq], events.Select(e => e.Seq));
        Assert.Equal(likes.Seq, window.Last);
    }

    [Fact]
    public void ASeqOlderThanTheWindowOrFromTheFutureIsNotResumed()
    {
        var window = Window(floor: 100, retained: 2, retainedFor: TimeSpan.Zero);
        _seq = 100;
        for (var i = 0; i < 5; i++)
        {
            Append(window, new ProductUnpinnedEvent { RoomId = RoomId });
            _time.Advance(TimeSpan.FromSeconds(1));
        }

        Assert.Equal(103, window.Floor);
        Assert.Null(window.After(102));
        Assert.Equal([104L, 105], window.After(103)!.Select(e => e.Seq));
        Assert.Null(window.After(106));
        Assert.Null(window.After(50));
    }

    [Fact]
    public void TheWindowKeepsAtLeastTheLastNEventsAndAtLeastTheLastStretchOfTime()
    {
        var window = Window(floor: 0, retained: 3, retainedFor: TimeSpan.FromMinutes(2), max: 1000);

        // Ten events within two minutes: all kept, though more than three.
        for (var i = 0; i < 10; i++)
        {
            Append(window, new ProductUnpinnedEvent { RoomId = RoomId });
            _time.Advance(TimeSpan.FromSeconds(10));
        }

        Assert.Equal(10, window.Count);
        Assert.Equal(0, window.Floor);

        // Much later: the old ones may go, but the last three stay however old.
        _time.Advance(TimeSpan.FromMinutes(10));
        Append(window, new ProductUnpinnedEvent { RoomId = RoomId });

        Assert.Equal(3, window.Count);
        Assert.Equal([10L, 11], window.After(9)!.Select(e => e.Seq));
    }

    [Fact]
    public void TheWindowNeverHoldsMoreThanItsBytesAndTheDefaultStillKeepsAThousandOfTheLongestMessages()
    {
        // Two MiB of the longest chat (500 characters of text, a 50-character name, 64-character ids): the oldest go
        // once the estimate passes the bound, though the count and the time would keep them all.
        var options = new LiveRoomOptions { RetainedEvents = 10, RetainedFor = TimeSpan.FromHours(1), MaxRetainedEvents = 100_000, MaxRetainedBytes = 2 * 1024 * 1024 };
        var window = new RetainedEvents(RoomId, 0, options);
        for (var seq = 1; seq <= 2000; seq++)
        {
            window.Append(LongestMessage(seq), _time.GetUtcNow());
        }

        Assert.InRange(window.Bytes, 1, options.MaxRetainedBytes);
        Assert.InRange(window.Count, 100, 1999);
        Assert.Equal(2000 - window.Count, window.Floor);
        Assert.Equal(2000, window.Last);

        // The default bound holds well over RetainedEvents (1,000) of them: the issue's "at least the last 1,000".
        var defaults = new RetainedEvents(RoomId, 0, new LiveRoomOptions());
        for (var seq = 1; seq <= 1500; seq++)
        {
            defaults.Append(LongestMessage(seq), _time.GetUtcNow());
        }

        Assert.Equal(1500, defaults.Count);
    }

    private ChatBatchEvent LongestMessage(long seq) => new()
    {
        RoomId = RoomId,
        Seq = seq,
        Messages =
        [
            new ChatMessage
            {
                Id = new string('i', 64),
                RoomId = RoomId,
                UserId = new string('u', 64),
                DisplayName = new string('n', 50),
                Text = new string('t', 500),
                SentAt = _time.GetUtcNow(),
                Seq = seq,
            },
        ],
    };

    [Fact]
    public void TheWindowNeverHoldsMoreThanItsBound()
    {
        var window = Window(floor: 0, retained: 50, retainedFor: TimeSpan.FromHours(1), max: 20);

        AppendChat(window, [.. Enumerable.Range(0, 30).Select(i => $"m{i}")]);

        Assert.Equal(20, window.Count);
        Assert.Equal(10, window.Floor);
        Assert.Null(window.After(9));
        Assert.Equal(20, Assert.IsType<ChatBatchEvent>(Assert.Single(window.After(10)!)).Messages.Count);
    }

    [Fact]
    public void TheDefaultsRetainAtLeastTwoMinutesAndAThousandEventsAndTheirBoundHoldsTwoMinutesOfABusyRoom()
    {
        var options = new LiveRoomOptions();

        // PROTOCOL.md promises these to every client that resumes.
        Assert.True(options.RetainedEvents >= 1000, $"RetainedEvents {options.RetainedEvents}");
        Assert.True(options.RetainedFor >= TimeSpan.FromMinutes(2), $"RetainedFor {options.RetainedFor}");

        // The bound wins over the time: it must hold the whole stretch of a room at 250 events a second.
        Assert.True(
            options.MaxRetainedEvents >= 250 * options.RetainedFor.TotalSeconds,
            $"MaxRetainedEvents {options.MaxRetainedEvents} for {options.RetainedFor}");
    }

    [Fact]
    public void AtAHundredEventsASecondTheDefaultWindowKeepsEveryEventOfTheLastTwoMinutes()
    {
        var window = new RetainedEvents(RoomId, 0, new LiveRoomOptions());

        // Three minutes of chat at 100 messages a second: ten a batch, a batch every 100 ms.
        const int Batches = 1800;
        for (var batch = 0; batch < Batches; batch++)
        {
            AppendChat(window, [.. Enumerable.Range(0, 10).Select(i => $"m{batch}.{i}")]);
            _time.Advance(TimeSpan.FromMilliseconds(100));
        }

        // The last batch went in at 179.9 s: every message from 59.9 s on (batch 599, seq 5991) is within 2 minutes.
        var resumed = window.After(5990);
        Assert.NotNull(resumed);
        var messages = resumed.Cast<ChatBatchEvent>().SelectMany(b => b.Messages).Select(m => m.Seq!.Value).ToArray();
        Assert.Equal(Enumerable.Range(5991, 18_000 - 5990).Select(s => (long)s), messages);
    }

    [Fact]
    public void AnEmptyWindowResumesItsFloorWithNothing()
    {
        var window = Window(floor: 40);

        Assert.Empty(window.After(40)!);
        Assert.Null(window.After(39));
        Assert.Null(window.After(41));
    }

    [Fact]
    public void NumbersMustGrow()
    {
        var window = Window(floor: 10);

        Assert.Throws<InvalidOperationException>(() => window.Append(new ProductUnpinnedEvent { RoomId = RoomId, Seq = 10 }, _time.GetUtcNow()));
        Assert.Throws<InvalidOperationException>(() => window.Append(new ProductUnpinnedEvent { RoomId = RoomId }, _time.GetUtcNow()));
    }

    [Fact]
    public void AWindowHandedToTheNextActivationAnswersTheSameResumes()
    {
        var options = new LiveRoomOptions { RetainedEvents = 2, RetainedFor = TimeSpan.FromMinutes(2), MaxRetainedEvents = 100 };
        var window = Window(floor: 10, retained: 2, max: 100);
        Append(window, new ProductUnpinnedEvent { RoomId = RoomId });
        AppendChat(window, "a", "b");
        Append(window, new ChatDeletedEvent { RoomId = RoomId, MessageId = "a" });

        var handoff = window.Export("ep-1");
        Assert.Equal(("ep-1", 14L, 10L), (handoff.Epoch, handoff.Last, handoff.Floor));
        var restored = RetainedEvents.Restore(RoomId, handoff, options, _time.GetUtcNow());

        Assert.Equal((window.Floor, window.Last), (restored.Floor, restored.Last));
        foreach (var seq in new long[] { 10, 11, 12, 13, 14 })
        {
            Assert.Equal(Describe(window.After(seq)!), Describe(restored.After(seq)!));
        }

        // Kept for its time, as before: past it, the oldest beyond the count go.
        _time.Advance(TimeSpan.FromMinutes(3));
        var later = RetainedEvents.Restore(RoomId, handoff, options, _time.GetUtcNow());
        Assert.Equal(12, later.Floor);
        Assert.Null(later.After(11));
    }

    [Fact]
    public void AHandoffThatDoesNotReachItsLastNumberKeepsNothingRatherThanAnswerAHole()
    {
        var window = Window(floor: 0);
        AppendChat(window, "a");
        var handoff = window.Export("ep-1") with { Last = 5 };

        var restored = RetainedEvents.Restore(RoomId, handoff, new LiveRoomOptions(), _time.GetUtcNow());

        Assert.Equal((5L, 5L), (restored.Floor, restored.Last));
        Assert.Null(restored.After(1));
        Assert.Empty(restored.After(5)!);
    }

    private static string[] Describe(IReadOnlyList<RoomEvent> events) =>
        [.. events.Select(e => e is ChatBatchEvent b ? $"chat {string.Join(",", b.Messages.Select(m => m.Seq))}" : $"{e.GetType().Name} {e.Seq}")];

    private RetainedEvents Window(long floor, int retained = 1000, TimeSpan? retainedFor = null, int max = 10_000)
    {
        _seq = floor;
        return new RetainedEvents(
            RoomId,
            floor,
            new LiveRoomOptions { RetainedEvents = retained, RetainedFor = retainedFor ?? TimeSpan.FromMinutes(2), MaxRetainedEvents = max });
    }

    private RoomEvent Append(RetainedEvents window, RoomEvent roomEvent)
    {
        var numbered = roomEvent with { Seq = ++_seq };
        window.Append(numbered, _time.GetUtcNow());
        return numbered;
    }

    private ChatBatchEvent AppendChat(RetainedEvents window, params string[] texts)
    {
        var messages = texts.Select(t => new ChatMessage
        {
            Id = t,
            RoomId = RoomId,
            UserId = "u",
            DisplayName = "U",
            Text = t,
            SentAt = _time.GetUtcNow(),
            Seq = ++_seq,
        }).ToArray();
        var batch = new ChatBatchEvent { RoomId = RoomId, Messages = messages, Seq = _seq };
        window.Append(batch, _time.GetUtcNow());
        return batch;
    }

    private static FlashSaleUpdatedEvent Progress(string saleId, int remaining) => new()
    {
        RoomId = RoomId,
        Progress = new FlashSaleProgress { SaleId = saleId, Remaining = remaining, Sold = 10 - remaining, RecentBuyers = [] },
    };
}
