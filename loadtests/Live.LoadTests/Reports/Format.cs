using System.Globalization;
using Live.LoadTests.Engine;

namespace Live.LoadTests.Reports;

internal static class Format
{
    public static string N(double value, string format = "0.##") => value.ToString(format, CultureInfo.InvariantCulture);

    public static string Ms(double value) => value >= 100 ? N(value, "0") : N(value, "0.##");

    public static string Verdict(bool passed) => passed ? "met" : "NOT MET";

    public static string Actual(ThresholdResult t) => t.Actual is { } a ? $"{N(a, "0.###")} {t.Unit}" : "not measured";

    /// <summary>The figures of a scenario that matter most, on one line.</summary>
    public static string Headline(ScenarioReport s)
    {
        var parts = new List<string>();
        foreach (var name in new[] { "delivered ratio", "messages delivered/s", "purchases/s", "answers/s", "time to sold out", "joins/s", "RSS per viewer", "managed heap per viewer" })
        {
            if (s.Values.FirstOrDefault(v => v.Name == name) is { Name: not null } v)
            {
                parts.Add($"{name} {N(v.Value, "0.###")} {v.Unit}");
            }
        }

        return string.Join(", ", parts);
    }
}
