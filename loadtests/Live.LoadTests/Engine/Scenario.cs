using Live.LoadTests.Servers;

namespace Live.LoadTests.Engine;

/// <summary>
/// A named load scenario: NBomber's shape (name, init, step, load simulations, thresholds, clean), plus the server it
/// needs and a <see cref="Finish"/> that drains what is still in flight and runs the scenario's correctness checks.
/// </summary>
public sealed class Scenario
{
    public required string Name { get; init; }

    public required string Description { get; init; }

    /// <summary>The server this scenario runs against; started afresh for it unless the run targets a given URL.</summary>
    public required ServerSpec Server { get; init; }

    /// <summary>Settings shown in the report, so that a figure can be reproduced.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>WebSocket connections the scenario opens at its peak (checked against the open-file limit first).</summary>
    public int Connections { get; init; }

    public Func<ScenarioContext, Task> Init { get; init; } = _ => Task.CompletedTask;

    public required Func<StepContext, Task<StepResult>> Step { get; init; }

    /// <summary>Load run before measuring, whose numbers are thrown away (JIT, connection pools, grain activation).</summary>
    public LoadSimulation? WarmUp { get; init; }

    public required IReadOnlyList<LoadSimulation> Load { get; init; }

    /// <summary>Runs after the load: waits for in-flight deliveries, records values and correctness checks.</summary>
    public Func<ScenarioContext, Task> Finish { get; init; } = _ => Task.CompletedTask;

    public IReadOnlyList<Threshold> Thresholds { get; init; } = [];
}
