namespace Live.Hub.Delivery;

/// <summary>
/// The frame budget's rule: a room earns one chat frame on this server per
/// <c>clamp(max(viewers / FramesPerSecond, fanOut / MaxFanOutShare), MinChatInterval, MaxChatInterval)</c>
/// (<see cref="ChatPacer"/> spends them). <c>viewers</c> is the larger of the room's viewers here and the viewers here of
/// every room with chat lately; <c>fanOut</c> is how long handing one frame of the room to its viewers' outboxes takes
/// lately (<see cref="FanOutCost"/>).
/// </summary>
/// <remarks>
/// The first term is the budget: with one busy room that is the room's own count: 5,000 viewers and 20,000 frames/s give
/// one chat frame every 250 ms (4 a second per viewer, 20,000 sends/s), 100 viewers give 5 ms, so a small room's chat
/// passes straight through. With several busy rooms every one of them waits the same: for a fixed budget (the sum over
/// rooms of viewers / interval), one interval for all is what makes the wait averaged over viewers smallest.
/// The second term is what the server can actually do: a fixed budget is a guess about the machine, and when fan-outs
/// are slower than it assumes (a loaded machine, 5,000 viewers on 2 cores), frames that come faster than they can be
/// handed out queue in front of the room (measured: seconds of lag, and outboxes dropping chat). Keeping a room's fan-outs
/// under a share of its time makes the frames fewer and fuller exactly when they cost more, and nothing changes on a
/// machine that keeps up.
/// </remarks>
public sealed class FrameBudget(FrameBudgetOptions options)
{
    public FrameBudgetOptions Options => options;

    public TimeSpan ChatInterval(long viewers, TimeSpan fanOut = default)
    {
        var interval = TimeSpan.FromSeconds((double)Math.Max(0, viewers) / options.FramesPerSecond);
        if (fanOut > TimeSpan.Zero)
        {
            var paced = fanOut / options.MaxFanOutShare;
            if (paced > interval)
            {
                interval = paced;
            }
        }

        if (interval < options.MinChatInterval)
        {
            return options.MinChatInterval;
        }

        return interval > options.MaxChatInterval ? options.MaxChatInterval : interval;
    }

    /// <summary>
    /// A room's fan-out cost after one more fan-out took <paramref name="took"/>: an average weighted to the latest
    /// (a quarter each), so one slow fan-out (a pause) moves it little and a lasting slowdown moves it within a few frames.
    /// </summary>
    public static TimeSpan FanOutCost(TimeSpan previous, TimeSpan took) =>
        previous <= TimeSpan.Zero ? took : previous + ((took - previous) / 4);
}
