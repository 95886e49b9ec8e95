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
