
namespace Live.LoadTests.Engine;

public sealed record LatencySummary(string Name, long Count, double Mean, double P50, double P95, double P99, double P999, double Max, IReadOnlyList<IntervalPoint> Timeline);
