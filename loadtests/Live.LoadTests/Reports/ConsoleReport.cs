using Live.LoadTests.Engine;

namespace Live.LoadTests.Reports;

/// <summary>The summary table printed when the run ends.</summary>
public static class ConsoleReport
{
    public static void Write(RunReport run, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"{"scenario",-26} {"ok",8} {"fail",6} {"ok/s",8} {"metric",-14} {"p50",8} {"p95",8} {"p99",8} {"max",8}  checks  thresholds");
        foreach (var s in run.Scenarios)
        {
            var first = true;
            var metrics = s.Metrics.Where(m => m.Count > 0).ToList();
            if (metrics.Count == 0)
            {
                metrics.Add(new LatencySummary("-", 0, 0, 0, 0, 0, 0, 0, []));
            }

            foreach (var m in metrics)
            {
                var head = first
                    ? $"{s.Label,-26} {s.StepsOk,8} {s.StepsFailed,6} {Format.N(s.StepsPerSecond, "0.#"),8}"
                    : $"{"",-26} {"",8} {"",6} {"",8}";
                var tail = first ? $"  {(s.ChecksPassed ? "pass" : "FAIL"),-6}  {(s.ThresholdsPassed ? "pass" : "FAIL")}" : "";
                output.WriteLine($"{head} {m.Name,-14} {Format.Ms(m.P50),8} {Format.Ms(m.P95),8} {Format.Ms(m.P99),8} {Format.Ms(m.Max),8}{tail}");
                first = false;
            }

            if (Format.Headline(s) is { Length: > 0 } headline)
            {
                output.WriteLine($"{"",-26} {headline}");
            }

            output.WriteLine($"{"",-26} server cpu mean {Format.N(s.MeanCpuPercent, "0")}% peak {Format.N(s.PeakCpuPercent, "0")}%, rss peak {Format.N(s.PeakMemoryMb, "0")} MB ({s.ResourceSource}); clients cpu mean {Format.N(s.MeanClientCpuPercent, "0")}%; load average {Format.N(s.MeanLoadAverage, "0.#")}");
            if (s.Error is not null)
            {
                output.WriteLine($"{"",-26} ERROR {s.Error}");
            }

            foreach (var c in s.Checks.Where(c => !c.Passed))
            {
                output.WriteLine($"{"",-26} check failed: {c.Name}: {c.Detail}");
            }

            foreach (var t in s.Thresholds.Where(t => !t.Passed))
            {
                output.WriteLine($"{"",-26} threshold not met: {t.Name} {t.Target}, was {Format.Actual(t)}");
            }
        }

        foreach (var m in run.Medians)
        {
            output.WriteLine($"median: {m.Name} {m.Target}: {Format.Actual(m)} ({Format.Verdict(m.Passed)})");
        }

        foreach (var c in run.RoundComparisons)
        {
            output.WriteLine($"round: {c.Name} {c.Target}: {Format.Actual(c)} ({(c.Passed ? "met" : "not met")})");
        }

        foreach (var c in run.Comparisons)
        {
            output.WriteLine($"comparison: {c.Name} {c.Target}: {Format.Actual(c)} ({Format.Verdict(c.Passed)})");
        }

        output.WriteLine();
        output.WriteLine($"checks: {(run.ChecksPassed ? "all passed" : "SOME FAILED")}; thresholds: {(run.ThresholdsPassed ? "all met" : "SOME NOT MET")}");
    }
}
