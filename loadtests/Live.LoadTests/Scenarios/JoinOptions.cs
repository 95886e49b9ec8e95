
namespace Live.LoadTests.Scenarios;

public sealed record JoinOptions
{
    public int Viewers { get; init; } = 5_000;

    /// <summary>The joins are spread evenly over this time.</summary>
    public TimeSpan Over { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Idle mode: after the joins, hold the connections this long and measure the server's memory per viewer.</summary>
    public TimeSpan? Hold { get; init; }

    public double MaxSnapshotP99Ms { get; init; } = 1000;

    public double MaxKilobytesPerViewer { get; init; } = 40;

    /// <summary>Joins per second rise linearly from zero (same total, twice the mean rate at the end).</summary>
    public bool Ramp { get; init; }
}
