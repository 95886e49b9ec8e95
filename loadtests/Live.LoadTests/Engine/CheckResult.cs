namespace Live.LoadTests.Engine;

/// <summary>A correctness check a scenario ran on what the server answered (sales, orders, deliveries).</summary>
public sealed record CheckResult(string Name, bool Passed, string Detail);
