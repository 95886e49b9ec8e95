
namespace Live.LoadTests.Engine;

public readonly record struct StepResult(StepOutcome Outcome, string? Error = null)
{
    public static StepResult Ok { get; } = new(StepOutcome.Ok);

    public static StepResult Stop { get; } = new(StepOutcome.Stop);

    public static StepResult Fail(string error) => new(StepOutcome.Fail, error);
}
