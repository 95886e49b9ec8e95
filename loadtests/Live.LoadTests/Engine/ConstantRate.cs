namespace Live.LoadTests.Engine;

/// <summary>Open model: starts <paramref name="PerSecond"/> steps a second whether earlier ones have answered or not.</summary>
public sealed record ConstantRate(double PerSecond, TimeSpan During) : LoadSimulation(During)
{
    public override string Describe() => $"constant rate {PerSecond:0.##}/s for {During.TotalSeconds:0.#} s";
}
