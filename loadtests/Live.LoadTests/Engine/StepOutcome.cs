
namespace Live.LoadTests.Engine;

public enum StepOutcome
{
    Ok,
    Fail,

    /// <summary>The step answered and this copy has nothing left to do (sold out, limit reached).</summary>
    Stop,
}
