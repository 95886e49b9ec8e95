using System.Globalization;
using System.Net;
using System.Text;

namespace Live.LoadTests.Reports;

/// <summary>A line chart as inline SVG, drawn by the tool itself (the report loads nothing from anywhere).</summary>
public static class SvgChart
{
    private const int Width = 720;
    private const int Height = 260;
    private const int Left = 64;
    private const int Right = 16;
    private const int Top = 28;
    private const int Bottom = 36;
    private static readonly string[] Colors = ["#d62728", "#1f77b4", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b"];

    public sealed record Series(string Name, IReadOnlyList<(double X, double Y)> Points);

    public static string Line(string title, string xLabel, string yLabel, IReadOnlyList<Series> series)
    {
        var points = series.SelectMany(s => s.Points).ToList();
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"sans-serif\" font-size=\"11\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"16\" font-size=\"13\" font-weight=\"bold\">{Escape(title)}</text>");
        if (points.Count == 0)
        {
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left}\" y=\"{Height / 2}\">no data</text></svg>");
            return svg.ToString();
        }

        var xMax = Math.Max(1, points.Max(p => p.X));
        var yMax = Nice(Math.Max(points.Max(p => p.Y), 1e-9));
        double X(double x) => Left + (x / xMax * (Width - Left - Right));
        double Y(double y) => Height - Bottom - (y / yMax * (Height - Top - Bottom));
        for (var i = 0; i <= 4; i++)
        {
            var value = yMax * i / 4;
            var y = Y(value);
            svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{y:0.#}\" y2=\"{y:0.#}\" stroke=\"#ddd\"/>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{Left - 6}\" y=\"{y + 4:0.#}\" text-anchor=\"end\">{Label(value)}</text>");
        }

        for (var i = 0; i <= 5; i++)
        {
            var value = xMax * i / 5;
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{X(value):0.#}\" y=\"{Height - Bottom + 14}\" text-anchor=\"middle\">{Label(value)}</text>");
        }

        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{(Left + Width - Right) / 2}\" y=\"{Height - 6}\" text-anchor=\"middle\">{Escape(xLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"12\" y=\"{(Top + Height - Bottom) / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 12 {(Top + Height - Bottom) / 2})\">{Escape(yLabel)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{Left}\" y=\"{Top}\" width=\"{Width - Left - Right}\" height=\"{Height - Top - Bottom}\" fill=\"none\" stroke=\"#999\"/>");
        for (var i = 0; i < series.Count; i++)
        {
            var color = Colors[i % Colors.Length];
            var path = string.Join(" ", series[i].Points.Select(p => string.Create(CultureInfo.InvariantCulture, $"{X(p.X):0.#},{Y(p.Y):0.#}")));
            svg.Append(CultureInfo.InvariantCulture, $"<polyline fill=\"none\" stroke=\"{color}\" stroke-width=\"1.5\" points=\"{path}\"/>");
            var legendX = Left + 8 + (i * 150);
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{legendX}\" y=\"{Top + 6}\" width=\"10\" height=\"3\" fill=\"{color}\"/><text x=\"{legendX + 14}\" y=\"{Top + 11}\">{Escape(series[i].Name)}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    private static double Nice(double max)
    {
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(max)));
        foreach (var step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= max)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Label(double value) => value switch
    {
        >= 1_000_000 => (value / 1_000_000).ToString("0.#", CultureInfo.InvariantCulture) + "M",
        >= 10_000 => (value / 1000).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        >= 10 => value.ToString("0", CultureInfo.InvariantCulture),
        _ => value.ToString("0.##", CultureInfo.InvariantCulture),
    };

    private static string Escape(string text) => WebUtility.HtmlEncode(text);
}
