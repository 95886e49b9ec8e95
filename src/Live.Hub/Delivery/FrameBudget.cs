namespace Live.Hub.Delivery;

/// <summary>
/// The frame budget's rule: a room earns one chat frame on this server per
/// <c>clamp(viewers / FramesPerSecond, MinChatInterval, MaxChatInterval)</c> (<see cref="ChatPacer"/> spends them, with
/// a small burst), where <c>viewers</c> is the larger of the
/// room's viewers here and the viewers here of every room with chat lately. With one busy room that is the room's own
/// count: 5,000 viewers and 20,000 frames/s give one chat frame every 250 ms (4 a second per viewer, 20,000 sends/s),
/// 100 viewers give 5 ms, below the room grain's own 100 ms tick, so a small room's chat passes straight through.
/// With several busy rooms every one of them waits the same: for a fixed budget (the sum over rooms of
/// viewers / interval), one interval for all is what makes the wait averaged over viewers smallest.
/// </summary>
public sealed class FrameBudget(FrameBudgetOptions options)
{
    public FrameBudgetOptions Options => options;

    public TimeSpan ChatInterval(long viewers)
    {
        var interval = TimeSpan.FromSeconds((double)Math.Max(0, viewers) / options.FramesPerSecond);
        if (interval < options.MinChatInterval)
        {
            return options.MinChatInterval;
        }

        return interval > options.MaxChatInterval ? options.MaxChatInterval : interval;
    }
}
