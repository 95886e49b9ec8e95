using Live.Hosting;

namespace Live.Hub.Tests.Hosting;

public sealed class PooledBuffersTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void WithoutAnOperatorsValueTheServerRunsWithItsOwn(string? current) =>
        Assert.Equal("2048", PooledBuffers.ValueFor(current));

    [Fact]
    public void AnOperatorsValueIsKept() => Assert.Equal("64", PooledBuffers.ValueFor("64"));

    [Fact]
    public void TheVariableIsTheRuntimesOwn() =>
        Assert.Equal("DOTNET_SYSTEM_BUFFERS_SHAREDARRAYPOOL_MAXARRAYSPERPARTITION", PooledBuffers.Variable);
}
