using Live.Contracts.Notifications;
using Live.Contracts.Rooms;
using Live.Hub.Realtime;

namespace Live.Hub.Tests.Stream;

public sealed class SentSeqsTests
{
    [Fact]
    public void AnEventSentAlreadyIsNotSentAgain()
    {
        var sent = new SentSeqs();
        var pin = new ProductUnpinnedEvent { RoomId = "r1", Seq = 5 };

        Assert.Same(pin, sent.Unsent(pin));
        sent.Sent(pin);

        Assert.Null(sent.Unsent(pin));
        Assert.Null(sent.Unsent(pin with { Seq = 4 }));
        Assert.NotNull(sent.Unsent(pin with { Seq = 6 }));
        Assert.NotNull(sent.Unsent(pin with { RoomId = "r2" }));
    }

    [Fact]
    public void ABatchPushedAgainSendsOnlyItsNewMessages()
    {
        var sent = new SentSeqs();
        sent.Sent(Batch(1, 2, 3));

        var rest = Assert.IsType<ChatBatchEvent>(sent.Unsent(Batch(2, 3, 4, 5)));

        Assert.Equal([4L, 5], rest.Messages.Select(m => m.Seq!.Value));
        Assert.Null(sent.Unsent(Batch(1, 2)));
    }

    [Fact]
    public void UnnumberedEventsAlwaysGo()
    {
        var sent = new SentSeqs();
        var ban = new UserBannedEvent { RoomId = "r1", UserId = "u" };
        sent.Sent(new ProductUnpinnedEvent { RoomId = "r1", Seq = 9 });

        Assert.Same(ban, sent.Unsent(ban));
    }

    [Fact]
    public void PastItsBoundItForgetsRatherThanGrows()
    {
        var sent = new SentSeqs(maxRooms: 2);
        var first = new ProductUnpinnedEvent { RoomId = "r1", Seq = 1 };
        sent.Sent(first);
        sent.Sent(new ProductUnpinnedEvent { RoomId = "r2", Seq = 1 });
        sent.Sent(new ProductUnpinnedEvent { RoomId = "r3", Seq = 1 });

        // Forgotten: a duplicate may go out again, which clients drop; nothing is held back.
        Assert.Same(first, sent.Unsent(first));
    }

    private static ChatBatchEvent Batch(params long[] seqs) => new()
    {
        RoomId = "r1",
        Seq = seqs[^1],
        Messages = seqs.Select(s => new ChatMessage
        {
            Id = $"m{s}",
            RoomId = "r1",
            UserId = "u",
            DisplayName = "U",
            Text = "hi",
            SentAt = DateTimeOffset.UnixEpoch,
            Seq = s,
        }).ToArray(),
    };
}
