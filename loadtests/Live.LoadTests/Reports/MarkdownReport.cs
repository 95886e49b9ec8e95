using System.Text;
using Live.LoadTests.Engine;

namespace Live.LoadTests.Reports;

public static class MarkdownReport
{
    public static string Render(RunReport run)
    {
        var md = new StringBuilder();
        md.AppendLine($"# RedLive load test, {run.StartedAt:yyyy-MM-dd HH:mm:ss} UTC").AppendLine();
        md.AppendLine($"Command: `{run.CommandLine}`").AppendLine();
        md.AppendLine("| machine | |").AppendLine("| --- | --- |");
        foreach (var (key, value) in run.Machine)
        {
            md.AppendLine($"| {key} | {value} |");
        }

        md.AppendLine();
        md.AppendLine($"Checks: **{(run.ChecksPassed ? "all passed" : "some failed")}**; thresholds: **{(run.ThresholdsPassed ? "all met" : "some not met")}**.").AppendLine();
        if (run.Medians.Count > 0)
        {
            md.AppendLine("## Thresholds over the rounds (median)").AppendLine();
            md.AppendLine("| threshold | target | median | verdict |").AppendLine("| --- | --- | --- | --- |");
            foreach (var m in run.Medians)
            {
                md.AppendLine($"| {m.Name} | {m.Target} | {Format.Actual(m)} | {Format.Verdict(m.Passed)} |");
            }

            md.AppendLine();
        }

        if (run.Comparisons.Count > 0)
        {
            md.AppendLine("## Against bare SignalR").AppendLine();
            md.AppendLine("| comparison | target | actual | verdict |").AppendLine("| --- | --- | --- | --- |");
            foreach (var c in run.RoundComparisons)
            {
                md.AppendLine($"| {c.Name} | {c.Target} | {Format.Actual(c)} | {(c.Passed ? "met" : "not met")} (one round; the median decides) |");
            }

            foreach (var c in run.Comparisons)
            {
                md.AppendLine($"| {c.Name} | {c.Target} | {Format.Actual(c)} | {Format.Verdict(c.Passed)} |");
            }

            md.AppendLine();
        }

        foreach (var s in run.Scenarios)
        {
            md.AppendLine($"## {s.Label}").AppendLine();
            md.AppendLine($"{s.Description}. Server: {s.Server}; protocol {s.Protocol}; measured for {Format.N(s.MeasuredFor.TotalSeconds, "0.0")} s.").AppendLine();
            if (s.Error is not null)
            {
                md.AppendLine($"**Error:** {s.Error}").AppendLine();
            }

            md.AppendLine("Settings: " + string.Join(", ", s.Settings.Select(kv => $"{kv.Key} {kv.Value}")) + ". Load: " + string.Join("; ", s.Load) + ".").AppendLine();
            md.AppendLine($"Steps: {s.StepsOk} ok, {s.StepsFailed} failed, {Format.N(s.StepsPerSecond, "0.#")} ok/s.");
            if (s.Errors.Count > 0)
            {
                md.AppendLine("Errors: " + string.Join(", ", s.Errors.Select(e => $"`{e.Key}` × {e.Value}")) + ".");
            }

            md.AppendLine();
            md.AppendLine("| latency (ms) | count | mean | p50 | p95 | p99 | p99.9 | max |").AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
            foreach (var m in s.Metrics.Where(m => m.Count > 0))
            {
                md.AppendLine($"| {m.Name} | {m.Count} | {Format.Ms(m.Mean)} | {Format.Ms(m.P50)} | {Format.Ms(m.P95)} | {Format.Ms(m.P99)} | {Format.Ms(m.P999)} | {Format.Ms(m.Max)} |");
            }

            md.AppendLine();
            md.AppendLine("| value | |").AppendLine("| --- | ---: |");
            foreach (var v in s.Values)
            {
                md.AppendLine($"| {v.Name} | {Format.N(v.Value, "0.###")} {v.Unit} |");
            }

            foreach (var c in s.Counters)
            {
                md.AppendLine($"| {c.Key} | {c.Value} |");
            }

            md.AppendLine($"| server CPU mean / peak | {Format.N(s.MeanCpuPercent, "0")}% / {Format.N(s.PeakCpuPercent, "0")}% of one core |");
            md.AppendLine($"| server RSS peak | {Format.N(s.PeakMemoryMb, "0")} MB |");
            md.AppendLine($"| sampled | {s.ResourceSource} |");
            md.AppendLine($"| load tool (clients) CPU mean | {Format.N(s.MeanClientCpuPercent, "0")}% of one core |");
            md.AppendLine($"| machine load average (1 min) mean | {Format.N(s.MeanLoadAverage, "0.#")} on {Environment.ProcessorCount} cores |");
            md.AppendLine();
            if (s.Checks.Count > 0)
            {
                md.AppendLine("| check | result | detail |").AppendLine("| --- | --- | --- |");
                foreach (var c in s.Checks)
                {
                    md.AppendLine($"| {c.Name} | {(c.Passed ? "pass" : "**FAIL**")} | {c.Detail} |");
                }

                md.AppendLine();
            }

            if (s.Thresholds.Count > 0)
            {
                md.AppendLine("| threshold | target | actual | verdict |").AppendLine("| --- | --- | --- | --- |");
                foreach (var t in s.Thresholds)
                {
                    md.AppendLine($"| {t.Name} | {t.Target} | {Format.Actual(t)} | {Format.Verdict(t.Passed)} |");
                }

                md.AppendLine();
            }
        }

        return md.ToString();
    }
}
