namespace Live.LoadTests.Engine;

/// <summary>Open model with a rate moving linearly from <paramref name="FromPerSecond"/> to <paramref name="ToPerSecond"/>.</summary>
public sealed record Ramp(double FromPerSecond, double ToPerSecond, TimeSpan During) : LoadSimulation(During)
{
    public override string Describe() => $"ramp {FromPerSecond:0.##}/s to {ToPerSecond:0.##}/s over {During.TotalSeconds:0.#} s";
}
