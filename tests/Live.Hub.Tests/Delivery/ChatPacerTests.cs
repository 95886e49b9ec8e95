using Live.Hub.Delivery;

namespace Live.Hub.Tests.Delivery;

public sealed class ChatPacerTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.UnixEpoch;
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    [Fact]
    public void ChatAfterAQuietSpellLeavesAtOnce()
    {
        var pacer = new ChatPacer(new FrameBudgetOptions());

        Assert.Equal(["m1"], Ids(pacer.Add([Frames.Message("m1")], Interval, T0)));
        Assert.Equal(["m2"], Ids(pacer.Add([Frames.Message("m2")], Interval, T0 + Interval)));
        Assert.Null(pacer.DueAt);
    }

    [Fact]
    public void ChatWithinTheIntervalIsHeldAndLeavesAsOneFrameWhenDue()
    {
        var pacer = new ChatPacer(new FrameBudgetOptions());
        pacer.Add([Frames.Message("m1")], Interval, T0);

        Assert.Null(pacer.Add([Frames.Message("m2")], Interval, T0.AddMilliseconds(10)));
        Assert.Null(pacer.Add([Frames.Message("m3"), Frames.Message("m4")], Interval, T0.AddMilliseconds(100)));
        Assert.Equal(T0 + Interval, pacer.DueAt);
        Assert.Null(pacer.TakeDue(T0.AddMilliseconds(249)));

        Assert.Equal(["m2", "m3", "m4"], Ids(pacer.TakeDue(T0 + Interval)));
        Assert.Null(pacer.DueAt);
        Assert.Equal(0, pacer.Held);
    }

    [Fact]
    public void AFullFrameLeavesBeforeItsTime()
    {
        var pacer = new ChatPacer(new FrameBudgetOptions { MaxChatPerFrame = 3 });
        pacer.Add([Frames.Message("m1")], Interval, T0);
        pacer.Add([Frames.Message("m2"), Frames.Message("m3")], Interval, T0.AddMilliseconds(1));

        Assert.Equal(["m2", "m3", "m4"], Ids(pacer.Add([Frames.Message("m4")], Interval, T0.AddMilliseconds(2))));
    }

    [Fact]
    public void AnotherEventOfTheRoomTakesTheHeldChatFirst()
    {
        var pacer = new ChatPacer(new FrameBudgetOptions());
        Assert.Null(pacer.TakeAll(T0));
        pacer.Add([Frames.Message("m1")], Interval, T0);
        pacer.Add([Frames.Message("m2")], Interval, T0.AddMilliseconds(5));

        Assert.Equal(["m2"], Ids(pacer.TakeAll(T0.AddMilliseconds(6))));

        // That frame restarts the interval.
        Assert.Null(pacer.Add([Frames.Message("m3")], Interval, T0.AddMilliseconds(7)));
        Assert.Equal(T0.AddMilliseconds(6) + Interval, pacer.DueAt);
    }

    private static string[] Ids(IReadOnlyList<Live.Contracts.Rooms.ChatMessage>? frame) =>
        frame is null ? throw new Xunit.Sdk.XunitException("no frame to send") : frame.Select(m => m.Id).ToArray();
}
