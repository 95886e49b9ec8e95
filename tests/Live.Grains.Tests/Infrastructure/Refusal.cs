using Live.Contracts;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>The synchronous counterpart of <see cref="Scenario.RefusedAsync"/>, for rules tested without a cluster.</summary>
public static class Refusal
{
    /// <summary>Runs <paramref name="action"/>, which must refuse with exactly this code and message.</summary>
    public static void Expect(string code, string message, Action action)
    {
        var refusal = Assert.Throws<LiveException>(action);
        Assert.Equal((code, message), (refusal.Code, refusal.Message));
    }
}
