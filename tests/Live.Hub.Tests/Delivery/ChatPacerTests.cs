using Live.Hub.Delivery;

namespace Live.Hub.Tests.Delivery;

public sealed class ChatPacerTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void ChatAfterAQuietSpellLeavesAtOnce()
    {
        var pacer = new ChatPacer(new FrameBudgetOptions { ChatBurst = 1 });

        Assert.Equal(["m1"], Ids(pacer.Add([Frames.Message("m1")], Interval, T0)));
        Assert.Equal(["m2"], Ids(pacer.Add([Frames.Message("m2")], Interval, T0 + Interval)));
        Assert.Null(pacer.DueAt);
    }

    [Fact]
    public void UpToTheBurstChatLeavesAtOnceThenIsHeldAndLeavesAsOneFrameWhenTheNextFrameIsEarned()
    {
        var pacer = new ChatPacer(new FrameBudgetOptions { ChatBurst = 2 });
        Assert.Equal(["m1"], Ids(pacer.Add([Frames.Message("m1")], Interval, T0)));
        Assert.Equal(["m2"], Ids(pacer.Add([Frames.Message("m2")], Interval, T0.AddMilliseconds(5))));

        Assert.Null(pacer.Add([Frames.Message("m3")], Interval, T0.AddMilliseconds(10)));
        Assert.Null(pacer.Add([Frames.Message("m4"), Frames.Message("m5")], Interval, T0.AddMilliseconds(100)));

        // Two frames spent by 5 ms, the earning since the first one kept: the third is whole one interval after it.
        Assert.Equal(T0 + Interval, pacer.DueAt);
        Assert.Null(pacer.TakeDue(T0.AddMilliseconds(249)));

        Assert.Equal(["m3", "m4", "m5"], Ids(pacer.TakeDue(T0 + Interval)));
        Assert.Null(pacer.DueAt);
        Assert.Equal(0, pacer.Held);
    }

    [Fact]
    public void ARoomWithinItsShareOfTheBudgetIsNeverHeldWhateverTheJitter()
    {
        // One frame every 250 ms earned, chat about that often: an interval-since-the-last-frame rule held every
        // message that came a little early; the bucket keeps the credit of those that came late.
        var pacer = new ChatPacer(new FrameBudgetOptions { ChatBurst = 2 });
        var now = T0;
        foreach (var (gap, i) in new[] { 0, 240, 260, 200, 300, 230, 250, 270, 235 }.Select((g, i) => (g, i)))
        {
            now = now.AddMilliseconds(gap);
            Assert.Equal([$"m{i}"], Ids(pacer.Add([Frames.Message($"m{i}")], Interval, now)));
        }
    }

    [Fact]
    public void ABusyRoomSendsOneFramePerIntervalOnceItsBurstIsSpent()
    {
        var pacer = new ChatPacer(new FrameBudgetOptions { ChatBurst = 3 });
        var frames = 0;
        for (var ms = 0; ms < 1000; ms += 10)
        {
            var now = T0.AddMilliseconds(ms);
            frames += (pacer.TakeDue(now) is null ? 0 : 1) + (pacer.Add([Frames.Message($"m{ms}")], Interval, now) is null ? 0 : 1);
        }

        // The burst of three, then one at 250, 500 and 750 ms.
        Assert.Equal(6, frames);
    }

    [Fact]
    public void AFullFrameLeavesBeforeItsTime()
    {
        var pacer = new ChatPacer(new FrameBudgetOptions { MaxChatPerFrame = 3, ChatBurst = 1 });
        pacer.Add([Frames.Message("m1")], Interval, T0);
        pacer.Add([Frames.Message("m2"), Frames.Message("m3")], Interval, T0.AddMilliseconds(1));

        Assert.Equal(["m2", "m3", "m4"], Ids(pacer.Add([Frames.Message("m4")], Interval, T0.AddMilliseconds(2))));
    }

    [Fact]
    public void AnotherEventOfTheRoomTakesTheHeldChatFirst()
    {
        var pacer = new ChatPacer(new FrameBudgetOptions { ChatBurst = 1 });
        Assert.Null(pacer.TakeAll(T0));
        pacer.Add([Frames.Message("m1")], Interval, T0);
        pacer.Add([Frames.Message("m2")], Interval, T0.AddMilliseconds(5));

        Assert.Equal(["m2"], Ids(pacer.TakeAll(T0.AddMilliseconds(6))));

        // That frame was sent with none in hand: the next is earned a whole interval after it.
        Assert.Null(pacer.Add([Frames.Message("m3")], Interval, T0.AddMilliseconds(7)));
        Assert.Equal(T0.AddMilliseconds(6) + Interval, pacer.DueAt);
    }

    private static string[] Ids(IReadOnlyList<Live.Contracts.Rooms.ChatMessage>? frame) =>
        frame is null ? throw new Xunit.Sdk.XunitException("no frame to send") : frame.Select(m => m.Id).ToArray();
}
