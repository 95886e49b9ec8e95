using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Client.Tests.Client;

public sealed class ForeverRetryPolicyTests
{
    [Theory]
    [InlineData(0, 0, 0)]
    [InlineData(1, 1, 500)]
    [InlineData(2, 2, 1000)]
    [InlineData(3, 4, 2000)]
    [InlineData(20, 59, 2000)]
    [InlineData(21, 61, 10000)]
    [InlineData(500, 3600, 10000)]
    public void WaitsGrowFromAtOnceToEveryTwoSecondsForAMinuteThenEveryTen(long retries, int elapsedSeconds, int expectedMs)
    {
        var policy = new ForeverRetryPolicy(() => 0.5);

        var delay = policy.NextRetryDelay(Context(retries, elapsedSeconds));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
    }

    [Fact]
    public void ItNeverGivesUp()
    {
        var policy = new ForeverRetryPolicy();

        Assert.NotNull(policy.NextRetryDelay(Context(100_000, 86_400 * 7)));
    }

    [Theory]
    [InlineData(3, 4, 2000)]
    [InlineData(30, 120, 10000)]
    public void EveryWaitAfterTheFirstIsSpreadByAQuarterEitherWay(long retries, int elapsedSeconds, int nominalMs)
    {
        var lowest = new ForeverRetryPolicy(() => 0).NextRetryDelay(Context(retries, elapsedSeconds));
        var highest = new ForeverRetryPolicy(() => 0.999999).NextRetryDelay(Context(retries, elapsedSeconds));

        Assert.Equal(TimeSpan.FromMilliseconds(nominalMs * 0.75), lowest);
        Assert.InRange(highest!.Value.TotalMilliseconds, nominalMs * 1.2499, nominalMs * 1.25);
        Assert.Equal(TimeSpan.Zero, new ForeverRetryPolicy(() => 0.999999).NextRetryDelay(Context(0, 0)));
    }

    private static RetryContext Context(long retries, int elapsedSeconds) => new()
    {
        PreviousRetryCount = retries,
        ElapsedTime = TimeSpan.FromSeconds(elapsedSeconds),
        RetryReason = new IOException("connection lost"),
    };
}
