namespace Live.LoadTests.Engine;

/// <summary>
/// Closed model: <paramref name="Copies"/> virtual users each run steps back to back, until the time is up, the copy
/// has run <paramref name="MaxIterationsPerCopy"/> steps, or a step answers <see cref="StepResult.Stop"/>.
/// </summary>
public sealed record FixedConcurrency(int Copies, TimeSpan During, int MaxIterationsPerCopy) : LoadSimulation(During)
{
    public override string Describe() => $"fixed concurrency {Copies} copies for at most {During.TotalSeconds:0.#} s, at most {MaxIterationsPerCopy} steps each";
}
