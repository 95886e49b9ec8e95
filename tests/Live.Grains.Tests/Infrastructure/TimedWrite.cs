using System.Diagnostics;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>
/// One write <see cref="MeasuringLedgerStore"/> timed: when it started (<see cref="Stopwatch.GetTimestamp"/>), how long
/// the store took, its bytes, and how long this process's garbage collections paused it meanwhile
/// (<see cref="GC.GetTotalPauseDuration"/>).
/// </summary>
public readonly record struct TimedWrite(long Started, TimeSpan Took, long Bytes, TimeSpan GcPaused)
{
    public long Ended => Started + (long)(Took.TotalSeconds * Stopwatch.Frequency);

    public bool Overlaps(TimedWrite other) => Started < other.Ended && other.Started < Ended;
}
