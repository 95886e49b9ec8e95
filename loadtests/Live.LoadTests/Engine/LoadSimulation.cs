namespace Live.LoadTests.Engine;

/// <summary>
/// How steps are started, shaped like NBomber's load simulations so that a scenario can move onto NBomber
/// unchanged: <see cref="ConstantRate"/> is <c>Simulation.Inject</c>, <see cref="Ramp"/> is
/// <c>Simulation.RampingInject</c>, <see cref="FixedConcurrency"/> is <c>Simulation.KeepConstant</c>.
/// </summary>
public abstract record LoadSimulation(TimeSpan During)
{
    public abstract string Describe();
}

/// <summary>Open model: starts <paramref name="PerSecond"/> steps a second whether earlier ones have answered or not.</summary>
public sealed record ConstantRate(double PerSecond, TimeSpan During) : LoadSimulation(During)
{
    public override string Describe() => $"constant rate {PerSecond:0.##}/s for {During.TotalSeconds:0.#} s";
}

/// <summary>Open model with a rate moving linearly from <paramref name="FromPerSecond"/> to <paramref name="ToPerSecond"/>.</summary>
public sealed record Ramp(double FromPerSecond, double ToPerSecond, TimeSpan During) : LoadSimulation(During)
{
    public override string Describe() => $"ramp {FromPerSecond:0.##}/s to {ToPerSecond:0.##}/s over {During.TotalSeconds:0.#} s";
}

/// <summary>
/// Closed model: <paramref name="Copies"/> virtual users each run steps back to back, until the time is up, the copy
/// has run <paramref name="MaxIterationsPerCopy"/> steps, or a step answers <see cref="StepResult.Stop"/>.
/// </summary>
public sealed record FixedConcurrency(int Copies, TimeSpan During, int MaxIterationsPerCopy) : LoadSimulation(During)
{
    public override string Describe() => $"fixed concurrency {Copies} copies for at most {During.TotalSeconds:0.#} s, at most {MaxIterationsPerCopy} steps each";
}
