namespace Live.LoadTests.Engine;

/// <summary>Everything measured in one scenario, as the reports show it.</summary>
public sealed class ScenarioReport
{
    public required string Name { get; init; }

    /// <summary>The round of a <c>--rounds</c> run this report is from (1, 2, ...); null when the run had one round.</summary>
    public int? Round { get; init; }

    /// <summary>The name as reports show it: with its round when the run had several.</summary>
    public string Label => LabelOf(Name, Round);

    /// <summary>A scenario's name with its round (<c>rush-10000 #2</c>), or the name alone when the run has one round.</summary>
    public static string LabelOf(string name, int? round) => round is { } r ? $"{name} #{r}" : name;

    public required string Description { get; init; }

    public required string Server { get; init; }

    public required string Protocol { get; init; }

    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    public required IReadOnlyList<string> Load { get; init; }

    public required TimeSpan MeasuredFor { get; init; }

    public required long StepsOk { get; init; }

    public required long StepsFailed { get; init; }

    public required IReadOnlyDictionary<string, long> Errors { get; init; }

    public required IReadOnlyList<LatencySummary> Metrics { get; init; }

    public required IReadOnlyDictionary<string, long> Counters { get; init; }

    public required IReadOnlyList<(string Name, double Value, string Unit)> Values { get; init; }

    public required IReadOnlyList<CheckResult> Checks { get; init; }

    public required IReadOnlyList<ResourcePoint> Resources { get; init; }

    public required string ResourceSource { get; init; }

    public IReadOnlyList<ThresholdResult> Thresholds { get; set; } = [];

    /// <summary>Set when the scenario could not run to its end (set-up failed, server died): its checks fail.</summary>
    public string? Error { get; init; }

    public bool ChecksPassed => Error is null && Checks.All(c => c.Passed);

    public bool ThresholdsPassed => Thresholds.All(t => t.Passed);

    public double StepsPerSecond => MeasuredFor.TotalSeconds > 0 ? StepsOk / MeasuredFor.TotalSeconds : 0;

    public LatencySummary? Metric(string name) => Metrics.FirstOrDefault(m => m.Name == name);

    public double? ValueOf(string name) => Values.Where(v => v.Name == name).Select(v => (double?)v.Value).FirstOrDefault();

    public double PeakCpuPercent => Resources.Count == 0 ? 0 : Resources.Max(r => r.CpuPercent);

    public double MeanCpuPercent => Resources.Count == 0 ? 0 : Resources.Average(r => r.CpuPercent);

    public double PeakMemoryMb => Resources.Count == 0 ? 0 : Resources.Max(r => r.RssMb);

    public double MeanClientCpuPercent => Resources.Count == 0 ? 0 : Resources.Average(r => r.ClientCpuPercent);

    public double MeanLoadAverage => Resources.Count == 0 ? 0 : Resources.Average(r => r.LoadAverage);
}
