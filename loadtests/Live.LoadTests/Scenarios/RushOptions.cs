
namespace Live.LoadTests.Scenarios;

public sealed record RushOptions
{
    public int Units { get; init; } = 10_000;

    public int Buyers { get; init; } = 1_000;

    /// <summary>Per-user limit of the sale; 0 picks twice the fair share, so that buyers compete for the last units.</summary>
    public int PerUserLimit { get; init; }

    public TimeSpan MaxDuration { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Units of the separate warm-up sale: every buyer buys from it back to back until <see cref="WarmUp"/> is over or it sells out.</summary>
    public int WarmUpUnits { get; init; } = 200;

    /// <summary>
    /// How long the warm-up runs at most. A fresh RedLive server still spends about half a core on tier-1 JIT
    /// compiles for the first ~20 s of a rush (docs/PERF.md §21), so the command line's default is 30 s.
    /// </summary>
    public TimeSpan WarmUp { get; init; } = TimeSpan.FromSeconds(20);

    public double MaxP99Ms { get; init; } = 50;

    public double MaxSoldOutSeconds { get; init; } = 1;

    public int Limit => PerUserLimit > 0 ? PerUserLimit : Math.Max(1, 2 * (int)Math.Ceiling((double)Units / Buyers));
}
