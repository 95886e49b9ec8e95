namespace Live.LoadTests.Tests;

public sealed class LoadTestCommandTests
{
    [Theory]
    [InlineData(true, "serve", "--kind", "Bare", "--port", "5081")]
    [InlineData(true, "serve", "--port", "5081", "--kind", "bare")]
    [InlineData(true, "serve", "--kind=Bare")]
    [InlineData(false, "serve", "--kind", "RedLive")]
    [InlineData(false, "serve")]
    [InlineData(false, "-s", "fanout", "--baseline", "--host", "Process")]
    [InlineData(false, "-s", "fanout", "--kind", "Bare")]
    public void OnlyTheBareServerKeepsTheRuntimesDefaultPool(bool bare, params string[] args) =>
        Assert.Equal(bare, LoadTestCommand.ServesBare(args));
}
