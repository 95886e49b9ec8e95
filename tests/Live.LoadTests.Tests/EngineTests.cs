using Live.LoadTests.Engine;
using Live.LoadTests.Servers;

namespace Live.LoadTests.Tests;

/// <summary>The runner's load simulations and thresholds, on a step that does no I/O (a bare server is only a target).</summary>
public sealed class EngineTests
{
    [Fact]
    public async Task ConstantRateStartsExactlyRateTimesDurationSteps()
    {
        long steps = 0;
        var report = await RunAsync([new ConstantRate(40, TimeSpan.FromSeconds(1))], _ =>
        {
            Interlocked.Increment(ref steps);
            return Task.FromResult(StepResult.Ok);
        });

        Assert.Equal(40, steps);
        Assert.Equal(40, report.StepsOk);
    }

    [Fact]
    public async Task RampStartsTheIntegralOfItsRate()
    {
        var report = await RunAsync([new Ramp(0, 40, TimeSpan.FromSeconds(1))], _ => Task.FromResult(StepResult.Ok));

        Assert.Equal(20, report.StepsOk);
    }

    [Fact]
    public async Task FixedConcurrencyStopsACopyThatAnswersStopAndBoundsTheOthers()
    {
        var report = await RunAsync([new FixedConcurrency(4, TimeSpan.FromSeconds(30), 5)], step =>
            Task.FromResult(step.Copy == 0 ? StepResult.Stop : StepResult.Ok));

        Assert.Equal(1 + (3 * 5), report.StepsOk);
    }

    [Fact]
    public async Task FailedStepsAreCountedByErrorAndLeftOutOfLatency()
    {
        var report = await RunAsync([new FixedConcurrency(1, TimeSpan.FromSeconds(30), 4)], step =>
            step.Iteration % 2 == 0 ? Task.FromResult(StepResult.Fail("rate_limited")) : throw new TimeoutException());

        Assert.Equal(0, report.StepsOk);
        Assert.Equal(4, report.StepsFailed);
        Assert.Equal(2, report.Errors["rate_limited"]);
        Assert.Equal(2, report.Errors["timeout"]);
        Assert.Equal(0, report.Metric(LoadRunner.StepMetric)!.Count);
    }

    [Fact]
    public void AHubRefusalIsCountedByItsProtocolCode()
    {
        // What a client receives (docs/PROTOCOL.md): SignalR's sentence, then "HubException: code: message".
        var refusal = new Microsoft.AspNetCore.SignalR.HubException(
            "An unexpected error occurred invoking 'SendChat' on the server. HubException: rate_limited: at most 2 messages per second");

        Assert.Equal("rate_limited", LoadRunner.ErrorName(refusal));
    }

    [Fact]
    public async Task AThresholdFailsWhenItsValueMissesTheTarget()
    {
        var report = await RunAsync([new FixedConcurrency(1, TimeSpan.FromSeconds(30), 1)], _ => Task.FromResult(StepResult.Ok), new Scenario
        {
            Name = "t",
            Description = "t",
            Server = ServerSpec.Bare,
            Step = _ => Task.FromResult(StepResult.Ok),
            Load = [],
            Finish = context =>
            {
                context.Value("answers/s", 10, "answers/s");
                return Task.CompletedTask;
            },
            Thresholds = [Threshold.AtLeast("answers/s", 20, "answers/s", r => r.ValueOf("answers/s")), Threshold.Below("missing", 1, "ms", _ => null)],
        });

        Assert.False(report.ThresholdsPassed);
        Assert.Equal(10, report.Thresholds[0].Actual);
        Assert.False(report.Thresholds[0].Passed);
        Assert.Null(report.Thresholds[1].Actual);
        Assert.False(report.Thresholds[1].Passed);
    }

    [Fact]
    public async Task AScenarioThatFailsIsReportedWithTheReasonInsideItsWrapper()
    {
        var scenario = new Scenario
        {
            Name = "t",
            Description = "t",
            Server = ServerSpec.Bare,
            Step = _ => Task.FromResult(StepResult.Ok),
            Load = [],
            Finish = _ => throw new TypeInitializationException("Live.Testing.Repo", new InvalidOperationException("RedLive.sln not found above /tmp/lt/")),
        };

        var report = await new LoadRunner(new RunSettings { Host = HostMode.InProcess }, TextWriter.Null).RunAsync(scenario, null, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));

        Assert.False(report.ChecksPassed);
        Assert.Contains("TypeInitializationException", report.Error);
        Assert.Contains("InvalidOperationException: RedLive.sln not found above /tmp/lt/", report.Error);
    }

    [Fact]
    public void RedLiveIsComparedWithBareSignalRAsARatio()
    {
        var run = NewRun();
        run.Scenarios.Add(Report("rush-100", 300));
        run.Scenarios.Add(Report("rush-100-bare", 1000));

        LoadTestRun.Compare(run);

        var comparison = Assert.Single(run.Comparisons);
        Assert.Equal(0.3, comparison.Actual!.Value, 3);
        Assert.False(comparison.Passed);
    }

    [Fact]
    public void WithSeveralRoundsEachPairIsComparedInItsRoundAndTheVerdictIsTheMedian()
    {
        var run = NewRun();
        // Round 2 ran bare first; pairing by name alone would compare round 1's RedLive with round 2's echo.
        run.Scenarios.Add(Report("rush-100", 400, round: 1));
        run.Scenarios.Add(Report("rush-100-bare", 1000, round: 1));
        run.Scenarios.Add(Report("rush-100-bare", 2000, round: 2));
        run.Scenarios.Add(Report("rush-100", 1200, round: 2));
        run.Scenarios.Add(Report("rush-100", 550, round: 3));
        run.Scenarios.Add(Report("rush-100-bare", 1000, round: 3));

        LoadTestRun.Compare(run);

        Assert.Equal([0.4, 0.6, 0.55], run.RoundComparisons.Select(c => Math.Round(c.Actual!.Value, 3)));
        Assert.Equal([false, true, true], run.RoundComparisons.Select(c => c.Passed));
        Assert.Equal("rush-100 #2: answers/s ÷ bare SignalR echo's", run.RoundComparisons[1].Name);
        var verdict = Assert.Single(run.Comparisons);
        Assert.Equal(0.55, verdict.Actual!.Value, 3);
        Assert.True(verdict.Passed);
        Assert.Equal("rush-100: median over 3 rounds of answers/s ÷ bare SignalR echo's (met in 2)", verdict.Name);
    }

    [Fact]
    public void AMedianBelowTheTargetFailsTheRunEvenWhenOneRoundMetIt()
    {
        var run = NewRun();
        run.Scenarios.Add(Report("rush-100", 600, round: 1));
        run.Scenarios.Add(Report("rush-100-bare", 1000, round: 1));
        run.Scenarios.Add(Report("rush-100", 400, round: 2));
        run.Scenarios.Add(Report("rush-100-bare", 1000, round: 2));

        LoadTestRun.Compare(run);

        var verdict = Assert.Single(run.Comparisons);
        Assert.Equal(0.5, verdict.Actual!.Value, 3);
        Assert.True(verdict.Passed);
        run.Scenarios.Add(Report("rush-100", 300, round: 3));
        run.Scenarios.Add(Report("rush-100-bare", 1000, round: 3));
        run.Comparisons.Clear();
        run.RoundComparisons.Clear();

        LoadTestRun.Compare(run);

        Assert.Equal(0.4, Assert.Single(run.Comparisons).Actual!.Value, 3);
        Assert.False(run.ThresholdsPassed);
    }

    [Fact]
    public void ARoundThatGaveNoRatioFailsTheMediansVerdict()
    {
        var run = NewRun();
        run.Scenarios.Add(Report("rush-100", 600, round: 1));
        run.Scenarios.Add(Report("rush-100-bare", 1000, round: 1));
        run.Scenarios.Add(Report("rush-100", 700, round: 2));
        run.Scenarios.Add(Report("rush-100-bare", 1000, round: 2));
        run.Scenarios.Add(Report("rush-100", 0, round: 3, measured: false));
        run.Scenarios.Add(Report("rush-100-bare", 1000, round: 3));

        LoadTestRun.Compare(run);

        Assert.Equal(2, run.RoundComparisons.Count);
        var verdict = Assert.Single(run.Comparisons);
        Assert.Equal(0.65, verdict.Actual!.Value, 3);
        Assert.False(verdict.Passed);
        Assert.Equal("rush-100: median over the 2 of 3 rounds that gave a ratio, of answers/s ÷ bare SignalR echo's (met in 2)", verdict.Name);
    }

    [Fact]
    public async Task RoundsRunAFreshSetEachTimeEverySecondOneInReverseAndNameTheirRound()
    {
        var made = 0;
        IReadOnlyList<Scenario> Make()
        {
            made++;
            return [Trivial("first"), Trivial("second")];
        }

        var run = await LoadTestRun.ExecuteAsync(new RunSettings { Host = HostMode.InProcess }, Make, 3, "test", outputDirectory: null, TextWriter.Null, CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(3, made);
        Assert.Equal(["first #1", "second #1", "second #2", "first #2", "first #3", "second #3"], run.Scenarios.Select(s => s.Label));
        Assert.All(run.Scenarios, s => Assert.Null(s.Error));
        Assert.Equal(2, run.Medians.Count);

        static Scenario Trivial(string name) => new()
        {
            Name = name,
            Description = name,
            Server = ServerSpec.Bare,
            Step = _ => Task.FromResult(StepResult.Ok),
            Load = [new FixedConcurrency(1, TimeSpan.FromSeconds(5), 3)],
            Thresholds = [Threshold.AtLeast("steps", 3, "steps", r => r.StepsOk)],
        };
    }

    [Fact]
    public void WithSeveralRoundsAScenariosThresholdIsJudgedOnTheMedianOfItsRounds()
    {
        var threshold = Threshold.AtLeast("answers/s", 500, "answers/s", r => r.ValueOf("answers/s"));
        var run = NewRun();
        foreach (var (value, round) in new[] { (400.0, 1), (600.0, 2), (700.0, 3) })
        {
            var report = Report("rush-100", value, round);
            report.Thresholds = [threshold.Evaluate(report)];
            run.Scenarios.Add(report);
        }

        LoadTestRun.JudgeMedians(run, new Dictionary<string, IReadOnlyList<Threshold>> { ["rush-100"] = [threshold] });

        var median = Assert.Single(run.Medians);
        Assert.Equal(600, median.Actual);
        Assert.True(median.Passed);
        Assert.Equal("rush-100: median over 3 rounds of answers/s (met in 2)", median.Name);
        Assert.False(run.Scenarios[0].ThresholdsPassed);
        Assert.True(run.ThresholdsPassed);

        run.Medians.Clear();
        // A fourth round that measured nothing (its server did not start, say) counts against the median.
        var unmeasured = Report("rush-100", 0, 4, measured: false);
        run.Scenarios.Add(unmeasured);

        LoadTestRun.JudgeMedians(run, new Dictionary<string, IReadOnlyList<Threshold>> { ["rush-100"] = [threshold] });

        Assert.False(Assert.Single(run.Medians).Passed);
        Assert.False(run.ThresholdsPassed);
    }

    [Theory]
    [InlineData("fanout-100", 1.2)]
    [InlineData("fanout-1000", 1.2)]
    [InlineData("fanout-5000", 0.5)]
    [InlineData("fanout-2000", 0.5)]
    public void AFanoutIsHeldToTheIssuesBoundForItsSize(string scenario, double target) =>
        Assert.Equal(target, LoadTestRun.FanoutTarget(scenario));

    private static RunReport NewRun() => new() { StartedAt = DateTimeOffset.UtcNow, CommandLine = "", Machine = new Dictionary<string, string>() };

    private static ScenarioReport Report(string name, double answersPerSecond, int? round = null, bool measured = true) => new()
    {
        Name = name,
        Round = round,
        Description = name,
        Server = "",
        Protocol = "",
        Settings = new Dictionary<string, string>(),
        Load = [],
        MeasuredFor = TimeSpan.FromSeconds(1),
        StepsOk = 1,
        StepsFailed = 0,
        Errors = new Dictionary<string, long>(),
        Metrics = [],
        Counters = new Dictionary<string, long>(),
        Values = measured ? [("answers/s", answersPerSecond, "answers/s")] : [],
        Checks = [],
        Resources = [],
        ResourceSource = "",
    };

    private static async Task<ScenarioReport> RunAsync(IReadOnlyList<LoadSimulation> load, Func<StepContext, Task<StepResult>> step, Scenario? scenario = null)
    {
        scenario ??= new Scenario { Name = "engine", Description = "engine", Server = ServerSpec.Bare, Step = step, Load = load };
        if (scenario.Load.Count == 0)
        {
            scenario = new Scenario
            {
                Name = scenario.Name,
                Description = scenario.Description,
                Server = scenario.Server,
                Step = step,
                Load = load,
                Finish = scenario.Finish,
                Thresholds = scenario.Thresholds,
            };
        }

        var runner = new LoadRunner(new RunSettings { Host = HostMode.InProcess }, TextWriter.Null);
        var report = await runner.RunAsync(scenario, null, CancellationToken.None).WaitAsync(TimeSpan.FromMinutes(1));
        Assert.Null(report.Error);
        return report;
    }
}
