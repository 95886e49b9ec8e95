namespace Live.LoadTests.Engine;

/// <summary>One run of the tool: several scenarios and the comparisons between them.</summary>
public sealed class RunReport
{
    public required DateTimeOffset StartedAt { get; init; }

    public required string CommandLine { get; init; }

    public required IReadOnlyDictionary<string, string> Machine { get; init; }

    public List<ScenarioReport> Scenarios { get; } = [];

    /// <summary>The verdicts against bare SignalR: each pair's ratio with one round, the median's with several.</summary>
    public List<ThresholdResult> Comparisons { get; } = [];

    /// <summary>With several rounds, each round's ratio (shown; the verdict is the median's in <see cref="Comparisons"/>).</summary>
    public List<ThresholdResult> RoundComparisons { get; } = [];

    /// <summary>
    /// With several rounds, each scenario's thresholds judged on the median of its rounds' values (each round's own
    /// verdict stays in its report, shown, and no longer decides); empty with one round.
    /// </summary>
    public List<ThresholdResult> Medians { get; } = [];

    /// <summary>Whether the run had several rounds (<c>--rounds</c>).</summary>
    public bool HasRounds => Scenarios.Any(s => s.Round is not null);

    public bool ChecksPassed => Scenarios.All(s => s.ChecksPassed);

    /// <summary>With one round every scenario's thresholds and the comparisons; with several, the medians.</summary>
    public bool ThresholdsPassed =>
        (HasRounds ? Medians.All(m => m.Passed) : Scenarios.All(s => s.ThresholdsPassed))
        && Comparisons.All(c => c.Passed);
}
