using HdrHistogram;

namespace Live.LoadTests.Engine;

/// <summary>
/// A latency distribution recorded from any thread into an HdrHistogram <see cref="Recorder"/>, in microseconds, with
/// a one-second timeline taken by the runner.
/// </summary>
public sealed class LatencyMetric(string name)
{
    private const long HighestMicros = 120_000_000;

    // Many threads record at once (every viewer's handler): the recorder's histograms must take concurrent writes,
    // which a plain LongHistogram does not (its counts are not incremented atomically).
    private readonly Recorder _recorder = new(1, HighestMicros, 3, (id, low, high, digits) => new LongConcurrentHistogram(id, low, high, digits));
    private readonly LongHistogram _total = new(1, HighestMicros, 3);
    private readonly List<IntervalPoint> _timeline = [];
    private readonly Lock _gate = new();

    public string Name { get; } = name;

    public void RecordMicros(long micros) => _recorder.RecordValue(Math.Clamp(micros, 1, HighestMicros));

    public void RecordSince(long startTimestamp) => RecordMicros(Elapsed.MicrosSince(startTimestamp));

    /// <summary>Moves what was recorded since the last call into the total and the timeline.</summary>
    internal IntervalPoint Flush(double seconds)
    {
        lock (_gate)
        {
            var interval = _recorder.GetIntervalHistogram();
            _total.Add(interval);
            var point = new IntervalPoint(seconds, interval.TotalCount, Ms(interval, 50), Ms(interval, 99), interval.TotalCount == 0 ? 0 : interval.GetMaxValue() / 1000.0);
            _timeline.Add(point);
            return point;
        }
    }

    /// <summary>Forgets everything recorded so far (the warm-up).</summary>
    internal void Reset()
    {
        lock (_gate)
        {
            _recorder.GetIntervalHistogram();
            _total.Reset();
            _timeline.Clear();
        }
    }

    internal LatencySummary Summary()
    {
        lock (_gate)
        {
            return new LatencySummary(
                Name,
                _total.TotalCount,
                _total.TotalCount == 0 ? 0 : _total.GetMean() / 1000.0,
                Ms(_total, 50),
                Ms(_total, 95),
                Ms(_total, 99),
                Ms(_total, 99.9),
                _total.TotalCount == 0 ? 0 : _total.GetMaxValue() / 1000.0,
                [.. _timeline]);
        }
    }

    private static double Ms(HistogramBase histogram, double percentile) =>
        histogram.TotalCount == 0 ? 0 : histogram.GetValueAtPercentile(percentile) / 1000.0;
}
