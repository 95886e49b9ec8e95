using Live.Grains.Ledger;
using Live.Hosting;
using StackExchange.Redis;

namespace Live.Cluster.Tests;

/// <summary>The cluster mode's ledger store on a real redis-server, including across a SIGKILL of Redis.</summary>
public sealed class RedisLedgerStoreTests
{
    [Fact]
    public async Task AnAppendPutsEntriesAtTheEndOfOtherLogsInTheSameScript()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var store = new RedisLedgerStore(ConfigurationOptions.Parse(redis.ConnectionString), $"t{Guid.NewGuid():N}:");
        await LedgerStoreChecks.AppendsAtTheEndOfOtherLogsInTheSameWriteAsync(store, "");
    }

    [Fact]
    public async Task AppendsAreReadInPagesConflictsAppendNothingAndAllSurviveARedisKill()
    {
        await using var redis = await RedisServer.StartAsync();
        var prefix = $"t{Guid.NewGuid():N}:";
        await using (var store = new RedisLedgerStore(ConfigurationOptions.Parse(redis.ConnectionString), prefix))
        {
            await store.AppendAsync("flashSale", "s1", 0, [[1], [2, 2]]);
            await store.AppendAsync("flashSale", "s1", 2, [.. Enumerable.Range(0, 2500).Select(i => new[] { (byte)(i % 251) })]);
            var stale = await Assert.ThrowsAsync<LedgerConflictException>(() => store.AppendAsync("flashSale", "s1", 1, [[9]]));
            Assert.Equal((1L, 2502L), (stale.Expected, stale.Actual));
            await store.WriteSnapshotAsync("flashSale", "s1", new LedgerRecord(2, [7, 7]));
            Assert.Null(await store.ReadSnapshotAsync("flashSale", "s2"));
        }

        redis.Kill();
        await redis.RestartAsync();

        await using var after = new RedisLedgerStore(ConfigurationOptions.Parse(redis.ConnectionString), prefix);
        var first = await after.ReadAsync("flashSale", "s1", 0, 2);
        var page = await after.ReadAsync("flashSale", "s1", 2, 1000);
        var end = await after.ReadAsync("flashSale", "s1", 2500, 1000);
        var snapshot = await after.ReadSnapshotAsync("flashSale", "s1");

        Assert.Equal([1L, 2L], first.Select(r => r.Position));
        Assert.Equal([[1], [2, 2]], first.Select(r => r.Payload));
        Assert.Equal(Enumerable.Range(3, 1000).Select(i => (long)i), page.Select(r => r.Position));
        Assert.Equal(Enumerable.Range(0, 1000).Select(i => new[] { (byte)(i % 251) }), page.Select(r => r.Payload));
        Assert.Equal([2501L, 2502L], end.Select(r => r.Position));
        Assert.Equal(2L, snapshot!.Value.Position);
        Assert.Equal([7, 7], snapshot.Value.Payload);
    }
}
