namespace Live.LoadTests.Servers;

/// <summary>When a restarted server was killed and when it answered healthy again (<see cref="System.Diagnostics.Stopwatch"/> timestamps).</summary>
public sealed record ServerRestart(long KilledAt, long HealthyAt);
