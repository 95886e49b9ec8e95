using System.Net;
using System.Text;
using Live.LoadTests.Engine;

namespace Live.LoadTests.Reports;

/// <summary>The run as one self-contained HTML page: the Markdown's tables plus latency and throughput charts.</summary>
public static class HtmlReport
{
    public static string Render(RunReport run)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>RedLive load test</title><style>")
            .AppendLine("body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:left}.fail{color:#b00;font-weight:bold}.pass{color:#070}svg{display:block;margin:.5em 0}")
            .AppendLine("</style></head><body>");
        html.AppendLine($"<h1>RedLive load test, {run.StartedAt:yyyy-MM-dd HH:mm:ss} UTC</h1>");
        html.AppendLine($"<p>Command: <code>{E(run.CommandLine)}</code></p>");
        html.AppendLine("<table>" + string.Concat(run.Machine.Select(kv => $"<tr><th>{E(kv.Key)}</th><td>{E(kv.Value)}</td></tr>")) + "</table>");
        html.AppendLine($"<p>Checks: {Verdict(run.ChecksPassed, "all passed", "some failed")}; thresholds: {Verdict(run.ThresholdsPassed, "all met", "some not met")}.</p>");
        if (run.Medians.Count > 0)
        {
            html.AppendLine("<h2>Thresholds over the rounds (median)</h2><table><tr><th>threshold</th><th>target</th><th>median</th><th>verdict</th></tr>");
            foreach (var m in run.Medians)
            {
                html.AppendLine($"<tr><td>{E(m.Name)}</td><td>{E(m.Target)}</td><td>{E(Format.Actual(m))}</td><td>{Verdict(m.Passed, "met", "NOT MET")}</td></tr>");
            }

            html.AppendLine("</table>");
        }

        if (run.Comparisons.Count > 0)
        {
            html.AppendLine("<h2>Against bare SignalR</h2><table><tr><th>comparison</th><th>target</th><th>actual</th><th>verdict</th></tr>");
            foreach (var c in run.RoundComparisons)
            {
                html.AppendLine($"<tr><td>{E(c.Name)}</td><td>{E(c.Target)}</td><td>{E(Format.Actual(c))}</td><td>{(c.Passed ? "met" : "not met")} (one round; the median decides)</td></tr>");
            }

            foreach (var c in run.Comparisons)
            {
                html.AppendLine($"<tr><td>{E(c.Name)}</td><td>{E(c.Target)}</td><td>{E(Format.Actual(c))}</td><td>{Verdict(c.Passed, "met", "NOT MET")}</td></tr>");
            }

            html.AppendLine("</table>");
        }

        foreach (var s in run.Scenarios)
        {
            html.AppendLine($"<h2>{E(s.Label)}</h2><p>{E(s.Description)}. Server: {E(s.Server)}; protocol {E(s.Protocol)}; measured for {Format.N(s.MeasuredFor.TotalSeconds, "0.0")} s. Load: {E(string.Join("; ", s.Load))}.</p>");
            if (s.Error is not null)
            {
                html.AppendLine($"<p class=\"fail\">Error: {E(s.Error)}</p>");
            }

            html.AppendLine($"<p>Steps: {s.StepsOk} ok, {s.StepsFailed} failed, {Format.N(s.StepsPerSecond, "0.#")} ok/s. {E(string.Join(", ", s.Errors.Select(e => $"{e.Key} × {e.Value}")))}</p>");
            html.AppendLine("<table><tr><th>latency (ms)</th><th>count</th><th>mean</th><th>p50</th><th>p95</th><th>p99</th><th>p99.9</th><th>max</th></tr>");
            foreach (var m in s.Metrics.Where(m => m.Count > 0))
            {
                html.AppendLine($"<tr><td>{E(m.Name)}</td><td>{m.Count}</td><td>{Format.Ms(m.Mean)}</td><td>{Format.Ms(m.P50)}</td><td>{Format.Ms(m.P95)}</td><td>{Format.Ms(m.P99)}</td><td>{Format.Ms(m.P999)}</td><td>{Format.Ms(m.Max)}</td></tr>");
            }

            html.AppendLine("</table><table>");
            foreach (var v in s.Values)
            {
                html.AppendLine($"<tr><td>{E(v.Name)}</td><td>{Format.N(v.Value, "0.###")} {E(v.Unit)}</td></tr>");
            }

            foreach (var c in s.Counters)
            {
                html.AppendLine($"<tr><td>{E(c.Key)}</td><td>{c.Value}</td></tr>");
            }

            html.AppendLine($"<tr><td>server CPU mean / peak</td><td>{Format.N(s.MeanCpuPercent, "0")}% / {Format.N(s.PeakCpuPercent, "0")}% of one core ({E(s.ResourceSource)})</td></tr>");
            html.AppendLine($"<tr><td>server RSS peak</td><td>{Format.N(s.PeakMemoryMb, "0")} MB</td></tr>");
            html.AppendLine($"<tr><td>load tool (clients) CPU mean</td><td>{Format.N(s.MeanClientCpuPercent, "0")}% of one core</td></tr>");
            html.AppendLine($"<tr><td>machine load average mean</td><td>{Format.N(s.MeanLoadAverage, "0.#")}</td></tr></table>");
            if (s.Checks.Count + s.Thresholds.Count > 0)
            {
                html.AppendLine("<table><tr><th>check / threshold</th><th>target</th><th>result</th></tr>");
                foreach (var c in s.Checks)
                {
                    html.AppendLine($"<tr><td>{E(c.Name)}</td><td>{E(c.Detail)}</td><td>{Verdict(c.Passed, "pass", "FAIL")}</td></tr>");
                }

                foreach (var t in s.Thresholds)
                {
                    html.AppendLine($"<tr><td>{E(t.Name)}</td><td>{E(t.Target)}, was {E(Format.Actual(t))}</td><td>{Verdict(t.Passed, "met", "NOT MET")}</td></tr>");
                }

                html.AppendLine("</table>");
            }

            var latency = s.Metrics.Where(m => m.Count > 0)
                .SelectMany(m => new[]
                {
                    new SvgChart.Series($"{m.Name} p50", [.. m.Timeline.Where(p => p.Count > 0).Select(p => (p.Seconds, p.P50))]),
                    new SvgChart.Series($"{m.Name} p99", [.. m.Timeline.Where(p => p.Count > 0).Select(p => (p.Seconds, p.P99))]),
                }).ToList();
            html.AppendLine(SvgChart.Line("Latency over time", "seconds since measuring began", "ms", latency));
            var throughput = s.Metrics.Where(m => m.Count > 0)
                .Select(m => new SvgChart.Series($"{m.Name} per s", [.. m.Timeline.Select(p => (p.Seconds, (double)p.Count))])).ToList();
            html.AppendLine(SvgChart.Line("Throughput", "seconds since measuring began", "per second", throughput));
            html.AppendLine(SvgChart.Line("CPU (% of one core)", "seconds", "%",
            [
                new SvgChart.Series("server", [.. s.Resources.Select(r => (r.Seconds, r.CpuPercent))]),
                new SvgChart.Series("load tool (clients)", [.. s.Resources.Select(r => (r.Seconds, r.ClientCpuPercent))]),
                new SvgChart.Series("load average × 100", [.. s.Resources.Select(r => (r.Seconds, r.LoadAverage * 100))]),
            ]));
            html.AppendLine(SvgChart.Line("Server RSS", "seconds", "MB", [new SvgChart.Series("rss", [.. s.Resources.Select(r => (r.Seconds, r.RssMb))])]));
        }

        html.AppendLine("</body></html>");
        return html.ToString();
    }

    private static string E(string text) => WebUtility.HtmlEncode(text);

    private static string Verdict(bool passed, string yes, string no) => passed ? $"<span class=\"pass\">{yes}</span>" : $"<span class=\"fail\">{no}</span>";
}
