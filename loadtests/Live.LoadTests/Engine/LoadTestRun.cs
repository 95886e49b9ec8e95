using System.Text.Json;
using Live.LoadTests.Reports;
using Live.LoadTests.Servers;

namespace Live.LoadTests.Engine;

/// <summary>Runs scenarios one after another, compares RedLive with bare SignalR, and writes the reports.</summary>
public static class LoadTestRun
{
    /// <summary>
    /// Runs <paramref name="rounds"/> rounds of the scenarios <paramref name="scenarios"/> makes (a fresh set per round);
    /// every second round runs them in reverse, so that RedLive and bare SignalR take turns at going first.
    /// </summary>
    public static async Task<RunReport> ExecuteAsync(RunSettings settings, Func<IReadOnlyList<Scenario>> scenarios, int rounds, string commandLine, string? outputDirectory, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        var run = new RunReport { StartedAt = DateTimeOffset.UtcNow, CommandLine = commandLine, Machine = Machine.Describe() };
        var runner = new LoadRunner(settings, output);
        var thresholds = new Dictionary<string, IReadOnlyList<Threshold>>();
        for (var round = 1; round <= rounds; round++)
        {
            int? label = rounds > 1 ? round : null;
            var list = scenarios();
            foreach (var scenario in list)
            {
                thresholds.TryAdd(scenario.Name, scenario.Thresholds);
            }

            foreach (var scenario in round % 2 == 0 ? Enumerable.Reverse(list) : list)
            {
                var problem = Machine.FileDescriptorProblem(scenario.Connections, settings.Host == HostMode.InProcess);
                if (problem is not null)
                {
                    output.WriteLine($"== {ScenarioReport.LabelOf(scenario.Name, label)}: not run: {problem}");
                    var notRun = NotRun(scenario, settings, problem, label);
                    notRun.Thresholds = [.. scenario.Thresholds.Select(t => t.Evaluate(notRun))];
                    run.Scenarios.Add(notRun);
                    continue;
                }

                run.Scenarios.Add(await runner.RunAsync(scenario, label, cancellationToken));
            }
        }

        Compare(run);
        if (rounds > 1)
        {
            JudgeMedians(run, thresholds);
        }

        ConsoleReport.Write(run, output);
        if (outputDirectory is not null)
        {
            Directory.CreateDirectory(outputDirectory);
            await File.WriteAllTextAsync(Path.Combine(outputDirectory, "report.md"), MarkdownReport.Render(run), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(outputDirectory, "report.html"), HtmlReport.Render(run), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(outputDirectory, "summary.json"), JsonSerializer.Serialize(Summary(run), SummaryJson), cancellationToken);
            output.WriteLine($"reports: {Path.GetFullPath(outputDirectory)}/report.md, report.html, summary.json");
        }

        return run;
    }

    /// <summary>
    /// RedLive's cost as a ratio to plain SignalR, for every scenario that ran both ways in the same round. With several
    /// rounds each round's ratio is listed (<see cref="RunReport.RoundComparisons"/>) and the verdict is the median's:
    /// on a shared machine one pair can land on a busy second for either server, and the median of pairs taken in turn
    /// is what a single unlucky pair cannot move.
    /// </summary>
    internal static void Compare(RunReport run)
    {
        var ratios = new List<(string Name, ThresholdResult Result, Func<double, bool> Pass)>();
        foreach (var redLive in run.Scenarios.Where(s => s.Error is null))
        {
            var bare = run.Scenarios.FirstOrDefault(s => s.Name == $"{redLive.Name}-bare" && s.Round == redLive.Round && s.Error is null);
            if (bare is null)
            {
                continue;
            }

            if (redLive.Name.StartsWith("fanout-", StringComparison.Ordinal)
                && redLive.Metric("delivery") is { Count: > 0 } ours && bare.Metric("delivery") is { Count: > 0 } theirs)
            {
                var target = FanoutTarget(redLive.Name);
                Add($"{redLive.Label}: delivery p99 ÷ bare SignalR's", FormattableString.Invariant($"≤ {target}"), ours.P99 / theirs.P99, r => r <= target);
            }

            if (redLive.Name.StartsWith("rush-", StringComparison.Ordinal)
                && redLive.ValueOf("answers/s") is { } mine && bare.ValueOf("answers/s") is { } echo && echo > 0)
            {
                Add($"{redLive.Label}: answers/s ÷ bare SignalR echo's", "≥ 0.5", mine / echo, r => r >= 0.5);
            }

            // One rule per target, for each round's ratio and for the median's.
            void Add(string name, string target, double ratio, Func<double, bool> pass) =>
                ratios.Add((redLive.Name, new ThresholdResult(name, target, ratio, pass(ratio), "×"), pass));
        }

        if (!run.HasRounds)
        {
            run.Comparisons.AddRange(ratios.Select(r => r.Result));
            return;
        }

        run.RoundComparisons.AddRange(ratios.Select(r => r.Result));
        var rounds = run.Scenarios.Max(s => s.Round) ?? 1;
        foreach (var group in ratios.GroupBy(r => r.Name))
        {
            var first = group.First();
            var median = Median([.. group.Select(r => r.Result.Actual!.Value)]);
            var met = group.Count(r => r.Result.Passed);
            var what = first.Result.Name[(first.Result.Name.IndexOf(':', StringComparison.Ordinal) + 2)..];
            // A round that gave no ratio (a server that did not start, a scenario that measured nothing) is not a round
            // the target was met in: the verdict fails rather than resting on the rounds that happened to work.
            var whole = group.Count() == rounds;
            run.Comparisons.Add(new ThresholdResult(
                whole
                    ? $"{group.Key}: median over {rounds} rounds of {what} (met in {met})"
                    : $"{group.Key}: median over the {group.Count()} of {rounds} rounds that gave a ratio, of {what} (met in {met})",
                first.Result.Target, median, whole && first.Pass(median), "×"));
        }
    }

    /// <summary>Each scenario's thresholds on the median of its rounds' values (a round that measured nothing counts as not met).</summary>
    internal static void JudgeMedians(RunReport run, IReadOnlyDictionary<string, IReadOnlyList<Threshold>> thresholds)
    {
        foreach (var rounds in run.Scenarios.GroupBy(s => s.Name))
        {
            foreach (var threshold in thresholds.GetValueOrDefault(rounds.Key) ?? [])
            {
                var values = rounds.Select(r => threshold.Actual(r)).ToList();
                var measured = values.OfType<double>().ToList();
                var name = $"{rounds.Key}: median over {values.Count} rounds of {threshold.Name} (met in {rounds.Count(r => r.Thresholds.Any(t => t.Name == threshold.Name && t.Passed))})";
                if (measured.Count < values.Count)
                {
                    run.Medians.Add(new ThresholdResult(name, threshold.Target, null, false, threshold.Unit));
                    continue;
                }

                var median = Median(measured);
                run.Medians.Add(new ThresholdResult(name, threshold.Target, median, threshold.Pass(median), threshold.Unit));
            }
        }
    }

    /// <summary>The middle value; the mean of the two middle ones for an even count.</summary>
    internal static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.Order().ToArray();
        var mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }

    /// <summary>
    /// Issue 12's bound on a fan-out's delivery p99 against bare SignalR's: 1.2× up to 1,000 viewers (batching must
    /// not cost a small room its latency), 0.5× from 5,000 (where batching must win); between them the 5,000 bound.
    /// </summary>
    internal static double FanoutTarget(string scenarioName) =>
        int.TryParse(scenarioName.AsSpan(scenarioName.LastIndexOf('-') + 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var viewers)
        && viewers <= 1000 ? 1.2 : 0.5;

    private static ScenarioReport NotRun(Scenario scenario, RunSettings settings, string problem, int? round) => new()
    {
        Name = scenario.Name,
        Round = round,
        Description = scenario.Description,
        Server = scenario.Server.Kind.ToString(),
        Protocol = settings.Protocol.ToString(),
        Settings = scenario.Settings,
        Load = [.. scenario.Load.Select(l => l.Describe())],
        MeasuredFor = TimeSpan.Zero,
        StepsOk = 0,
        StepsFailed = 0,
        Errors = new Dictionary<string, long>(),
        Metrics = [],
        Counters = new Dictionary<string, long>(),
        Values = [],
        Checks = [],
        Resources = [],
        ResourceSource = "not run",
        Error = $"not run: {problem}",
    };

    private static readonly JsonSerializerOptions SummaryJson = new() { WriteIndented = true };

    private static object Summary(RunReport run) => new
    {
        run.StartedAt,
        run.CommandLine,
        run.Machine,
        run.ChecksPassed,
        run.ThresholdsPassed,
        Comparisons = run.Comparisons,
        run.RoundComparisons,
        run.Medians,
        Scenarios = run.Scenarios.Select(s => new
        {
            s.Name,
            s.Round,
            s.Description,
            s.Server,
            s.Protocol,
            s.Settings,
            MeasuredSeconds = s.MeasuredFor.TotalSeconds,
            s.StepsOk,
            s.StepsFailed,
            s.Errors,
            Metrics = s.Metrics.Select(m => new { m.Name, m.Count, m.Mean, m.P50, m.P95, m.P99, m.P999, m.Max }),
            Values = s.Values.Select(v => new { v.Name, v.Value, v.Unit }),
            s.Counters,
            s.Checks,
            s.Thresholds,
            s.MeanCpuPercent,
            s.PeakCpuPercent,
            s.PeakMemoryMb,
            s.ResourceSource,
            s.Error,
        }),
    };
}
