namespace Live.LoadTests.Engine;

/// <summary>A pass/fail target for a scenario, read off its report; a failed one makes the run exit non-zero.</summary>
public sealed record Threshold(string Name, string Target, Func<ScenarioReport, double?> Actual, Func<double, bool> Pass, string Unit)
{
    public ThresholdResult Evaluate(ScenarioReport report)
    {
        var actual = Actual(report);
        return new ThresholdResult(Name, Target, actual, actual is { } value && Pass(value), Unit);
    }

    public static Threshold AtMost(string name, double limit, string unit, Func<ScenarioReport, double?> actual) =>
        new(name, $"≤ {limit:0.###} {unit}", actual, v => v <= limit, unit);

    public static Threshold Below(string name, double limit, string unit, Func<ScenarioReport, double?> actual) =>
        new(name, $"< {limit:0.###} {unit}", actual, v => v < limit, unit);

    public static Threshold AtLeast(string name, double limit, string unit, Func<ScenarioReport, double?> actual) =>
        new(name, $"≥ {limit:0.###} {unit}", actual, v => v >= limit, unit);
}
