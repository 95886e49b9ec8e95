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

    [Fact]
    public void ClientThreadsRaiseTheToolsWorkerMinimumAndNeverLowerIt()
    {
        ThreadPool.GetMinThreads(out var before, out var ioBefore);
        LoadTestCommand.ApplyClientThreads(before + 3);
        ThreadPool.GetMinThreads(out var raised, out var io);
        Assert.Equal(before + 3, raised);
        Assert.Equal(ioBefore, io);

        LoadTestCommand.ApplyClientThreads(1);
        LoadTestCommand.ApplyClientThreads(0);
        ThreadPool.GetMinThreads(out var after, out _);
        Assert.Equal(before + 3, after);
        ThreadPool.SetMinThreads(before, ioBefore);
    }
}
