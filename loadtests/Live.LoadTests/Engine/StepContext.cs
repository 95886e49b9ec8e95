
namespace Live.LoadTests.Engine;

/// <param name="Scenario">The scenario's shared context.</param>
/// <param name="Iteration">The step's number within its phase, from 0.</param>
/// <param name="Copy">The virtual user running it under <see cref="FixedConcurrency"/>; -1 under a rate.</param>
/// <param name="Phase">Warm-up or measure.</param>
public readonly record struct StepContext(ScenarioContext Scenario, long Iteration, int Copy, Phase Phase);
