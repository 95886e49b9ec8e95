
namespace Live.LoadTests.Engine;

/// <summary>One second of a metric: how many values and their percentiles, in milliseconds.</summary>
public sealed record IntervalPoint(double Seconds, long Count, double P50, double P99, double Max);
