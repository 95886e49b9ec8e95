namespace Live.LoadTests.Engine;

public sealed record ThresholdResult(string Name, string Target, double? Actual, bool Passed, string Unit);
