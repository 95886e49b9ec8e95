using Live.Contracts.Rooms;
using Live.Grains.Rooms;
using Microsoft.Extensions.Time.Testing;

namespace Live.Grains.Tests.Rooms;

public sealed class ChatBatcherTests
{
    private const string RoomId = "room-1";

    private static readonly LiveRoomOptions Options = new() { ChatTick = TimeSpan.FromMilliseconds(100), ChatBurst = 2, RecentChatSize = 3 };

    private readonly FakeTimeProvider _time = new();
    private readonly List<ChatMessage> _recent = [];
    private readonly List<string> _deleted = [];
    private readonly ChatBatcher _chat;

    public ChatBatcherTests() => _chat = new ChatBatcher(RoomId, _recent, _deleted, Options);

    [Fact]
    public void QuietRoomSendsFirstMessageAtOnce()
    {
        var first = Message("m1");

        Assert.True(_chat.Add(first, _time.GetUtcNow()));
        var batch = _chat.Flush(_time.GetUtcNow());

        Assert.NotNull(batch);
        Assert.Equal(RoomId, batch.RoomId);
        Assert.Equal([first], batch.Messages);
        Assert.False(_chat.HasPending);
    }

    [Fact]
    public void UpToTheBurstMessagesGoOutAtOnceAndAloneThenTheRestWaitForTheNextBatchAndGoTogether()
    {
        SendAtOnce(Message("m1"));
        SendAtOnce(Message("m2"));
        var third = Message("m3");
        var fourth = Message("m4");

        Assert.False(_chat.Add(third, _time.GetUtcNow()));
        Assert.Equal(_time.GetUtcNow() + Options.ChatTick, _chat.DueAt);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.False(_chat.Add(fourth, _time.GetUtcNow()));

        // The due time is the first waiting message's: later ones do not push it back.
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromMilliseconds(50), _chat.DueAt);
        _time.Advance(TimeSpan.FromMilliseconds(50));
        Assert.Equal([third, fourth], _chat.Flush(_time.GetUtcNow())?.Messages);
        Assert.False(_chat.HasPending);
        Assert.Null(_chat.DueAt);
    }

    [Fact]
    public void ABusyRoomSendsOneBatchPerTickOnceItsBurstIsSpent()
    {
        SpendBurst();
        var sent = 0;
        for (var i = 0; i < 50; i++)
        {
            _time.Advance(TimeSpan.FromMilliseconds(10));
            if (_chat.Add(Message($"busy{i}"), _time.GetUtcNow()) || _chat.DueAt <= _time.GetUtcNow())
            {
                Assert.NotNull(_chat.Flush(_time.GetUtcNow()));
                sent++;
            }
        }

        // 500 ms at 100 messages a second: five batches earned, one every tick.
        Assert.Equal(5, sent);
    }

    [Fact]
    public void ARoomSendingAboutOnceATickNeverWaitsWhateverTheJitter()
    {
        // A fixed tick with a leading edge held every message from the first early one on (each then waited for the
        // tick's phase); the bucket keeps the jitter's credit.
        SendAtOnce(Message("m0"));
        foreach (var (gap, i) in new[] { 95, 105, 90, 110, 80, 99, 101, 120, 85, 100, 92, 108 }.Select((g, i) => (g, i)))
        {
            SendAtOnce(Message($"m{i + 1}"), after: TimeSpan.FromMilliseconds(gap));
        }
    }

    [Fact]
    public void AQuietSpellEarnsTheBurstBackButNoMore()
    {
        SpendBurst();
        _time.Advance(Options.ChatTick * 10);

        SendAtOnce(Message("m1"));
        SendAtOnce(Message("m2"));
        Assert.False(_chat.Add(Message("m3"), _time.GetUtcNow()));
    }

    [Fact]
    public void AFlushThatMustGoWithNoBatchInHandIsSentAndLeavesTheBucketEmpty()
    {
        SpendBurst();
        var held = Message("m1");
        Assert.False(_chat.Add(held, _time.GetUtcNow()));

        // Another event of the room must follow the chat: it goes now.
        _time.Advance(TimeSpan.FromMilliseconds(10));
        Assert.Equal([held], _chat.Flush(_time.GetUtcNow())?.Messages);

        // The next batch is earned a whole tick later.
        Assert.False(_chat.Add(Message("m2"), _time.GetUtcNow()));
        Assert.Equal(_time.GetUtcNow() + Options.ChatTick, _chat.DueAt);
    }

    [Fact]
    public void AFlushWithNothingPendingSendsNothingAndSpendsNoBatch()
    {
        SpendBurst();
        _time.Advance(Options.ChatTick);

        Assert.Null(_chat.Flush(_time.GetUtcNow()));

        SendAtOnce(Message("m1"));
    }

    [Fact]
    public void RecentChatKeepsTheLastRecentChatSizeMessagesOldestFirst()
    {
        var messages = Enumerable.Range(1, 5).Select(i => Message($"m{i}")).ToArray();

        foreach (var message in messages)
        {
            _chat.Add(message, _time.GetUtcNow());
        }

        Assert.Equal(messages[2..], _recent);
    }

    [Fact]
    public void RecentChatIsKeptWhetherOrNotAMessageHasGoneOut()
    {
        var first = Message("m1");
        var second = Message("m2");

        SendAtOnce(first);
        _chat.Add(second, _time.GetUtcNow());

        Assert.Equal([first, second], _recent);
    }

    [Fact]
    public void DeletingAPendingMessageDropsItFromTheBatchAndTheRecentChat()
    {
        var first = Message("m1");
        var second = Message("m2");
        var third = Message("m3");
        SendAtOnce(first);
        _chat.Add(second, _time.GetUtcNow());
        _chat.Add(third, _time.GetUtcNow());

        Assert.Equal(ChatDeletion.Pending, _chat.Delete("m2"));

        Assert.Equal([first, third], _recent);
        Assert.Equal([third], _chat.Flush(_time.GetUtcNow())?.Messages);
    }

    [Fact]
    public void DeletingThePendingMessagesLeavesNothingToFlush()
    {
        SendAtOnce(Message("m1"));
        _chat.Add(Message("m2"), _time.GetUtcNow());

        Assert.Equal(ChatDeletion.Pending, _chat.Delete("m2"));

        Assert.False(_chat.HasPending);
        Assert.Null(_chat.Flush(_time.GetUtcNow()));
    }

    [Fact]
    public void DeletingAPublishedMessageDropsItFromTheRecentChat()
    {
        var first = Message("m1");
        var second = Message("m2");
        SendAtOnce(first);
        SendAtOnce(second, after: Options.ChatTick);

        Assert.Equal(ChatDeletion.Published, _chat.Delete("m1"));

        Assert.Equal([second], _recent);
    }

    [Fact]
    public void ADeletionPutBackLeavesTheChatAsItWasAndCanBeMadeAgain()
    {
        var first = Message("m1");
        var second = Message("m2");
        SendAtOnce(first);
        _chat.Add(second, _time.GetUtcNow());
        var copy = _chat.Copy();

        Assert.Equal(ChatDeletion.Published, _chat.Delete("m1"));
        Assert.Equal(ChatDeletion.Pending, _chat.Delete("m2"));
        _chat.PutBack(copy);

        Assert.Equal([first, second with { Seq = null }], _recent);
        Assert.Empty(_deleted);
        Assert.True(_chat.HasPending);
        Assert.Equal(ChatDeletion.Published, _chat.Delete("m1"));
        Assert.Equal(["m1"], _deleted);
        Assert.Equal([second], _chat.Flush(_time.GetUtcNow())?.Messages);
    }

    [Fact]
    public void DeletingAnUnknownMessageFindsNothing()
    {
        var first = Message("m1");
        SendAtOnce(first);

        Assert.Equal(ChatDeletion.NotFound, _chat.Delete("m9"));

        Assert.Equal([first], _recent);
    }

    [Fact]
    public void DeletingAMessageAgainFindsItGoneAndOnlyTheLastDeletionsAreKept()
    {
        for (var i = 1; i <= 3; i++)
        {
            SendAtOnce(Message($"m{i}"), after: Options.ChatTick);
        }

        Assert.Equal(ChatDeletion.Published, _chat.Delete("m1"));
        Assert.Equal(ChatDeletion.AlreadyDeleted, _chat.Delete("m1"));

        _chat.Add(Message("m4"), _time.GetUtcNow());
        Assert.Equal(ChatDeletion.Pending, _chat.Delete("m4"));
        Assert.Equal(ChatDeletion.AlreadyDeleted, _chat.Delete("m4"));
        Assert.Equal(ChatDeletion.Published, _chat.Delete("m2"));
        Assert.Equal(ChatDeletion.Published, _chat.Delete("m3"));

        // RecentChatSize (3) deletions are kept: the first one has gone out of them.
        Assert.Equal(["m4", "m2", "m3"], _deleted);
        Assert.Equal(ChatDeletion.NotFound, _chat.Delete("m1"));
    }

    [Fact]
    public void APublishedMessageOutOfTheRecentWindowCanNoLongerBeDeleted()
    {
        SendAtOnce(Message("m1"));
        for (var i = 2; i <= 4; i++)
        {
            _chat.Add(Message($"m{i}"), _time.GetUtcNow());
        }

        Assert.Equal(ChatDeletion.NotFound, _chat.Delete("m1"));
        Assert.Equal(["m2", "m3", "m4"], _recent.Select(m => m.Id));
    }

    private void SpendBurst()
    {
        for (var i = 0; i < Options.ChatBurst; i++)
        {
            SendAtOnce(Message($"burst{i}"));
        }
    }

    private void SendAtOnce(ChatMessage message, TimeSpan? after = null)
    {
        _time.Advance(after ?? TimeSpan.Zero);
        Assert.True(_chat.Add(message, _time.GetUtcNow()));
        Assert.Equal([message], _chat.Flush(_time.GetUtcNow())?.Messages);
    }

    private ChatMessage Message(string id) => new()
    {
        Id = id,
        RoomId = RoomId,
        UserId = "user-1",
        DisplayName = "Alice",
        Text = $"text of {id}",
        SentAt = _time.GetUtcNow(),
    };
}
