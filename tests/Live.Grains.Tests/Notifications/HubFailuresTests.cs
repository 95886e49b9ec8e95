using Live.Grains.Notifications;

namespace Live.Grains.Tests.Notifications;

public sealed class HubFailuresTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void AFailedHubIsFailingUntilItsTimeOrItsNextSuccess()
    {
        var failures = new HubFailures();
        failures.Failed("hub-a", Now.AddSeconds(30));

        Assert.True(failures.IsFailing("hub-a", Now));
        Assert.False(failures.IsFailing("hub-a", Now.AddSeconds(30)));
        Assert.False(failures.IsFailing("hub-b", Now));

        failures.Succeeded("hub-a");
        Assert.False(failures.IsFailing("hub-a", Now));
    }

    [Fact]
    public void ExpiredFailuresAreForgotten()
    {
        var failures = new HubFailures();
        failures.Failed("hub-old", Now.AddSeconds(-1));
        failures.Failed("hub-new", Now.AddSeconds(30));

        failures.ForgetExpired(Now);

        Assert.Equal(1, failures.Count);
        Assert.True(failures.IsFailing("hub-new", Now));
    }

    /// <summary>
    /// The notifier pushes to every backplane at once, and each push records its hubs' failures and successes: with
    /// a plain dictionary these writes corrupt it (or throw "Operations that change non-concurrent collections...").
    /// </summary>
    [Fact]
    public void ParallelPushesRecordingFailuresAndSuccessesKeepEveryHubsLastWord()
    {
        var failures = new HubFailures();
        const int hubs = 16;
        const int rounds = 20_000;
        Parallel.For(0, hubs, new ParallelOptions { MaxDegreeOfParallelism = hubs }, h =>
        {
            var hubId = $"hub-{h}";
            for (var round = 0; round < rounds; round++)
            {
                failures.Failed(hubId, Now.AddSeconds(30));
                _ = failures.IsFailing($"hub-{(h + 1) % hubs}", Now);
                failures.Succeeded(hubId);
            }

            // Even hubs end failed, odd ones succeeded.
            if (h % 2 == 0)
            {
                failures.Failed(hubId, Now.AddSeconds(30));
            }
        });

        Assert.Equal(hubs / 2, failures.Count);
        Assert.All(Enumerable.Range(0, hubs), h => Assert.Equal(h % 2 == 0, failures.IsFailing($"hub-{h}", Now)));
    }
}
