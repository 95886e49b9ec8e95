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

    [Fact]
    public async Task ASnapshotBiggerThanAPageIsWrittenInPagesReadBackWholeAndReplacingItDeletesItsPages()
    {
        await using var redis = await RedisServer.StartAsync();
        var prefix = $"t{Guid.NewGuid():N}:";
        await using (var inspect = await ConnectionMultiplexer.ConnectAsync(redis.ConnectionString))
        await using (var store = new RedisLedgerStore(ConfigurationOptions.Parse(redis.ConnectionString), prefix, snapshotPageBytes: 100))
        {
            var first = Bytes(1050, seed: 1);
            await store.WriteSnapshotAsync("flashSale", "s1", new LedgerRecord(10, first));
            var pages = Assert.Single(await PageKeysAsync(redis, prefix));
            Assert.Equal(11, await inspect.GetDatabase().HashLengthAsync(pages));
            Assert.Null(await inspect.GetDatabase().KeyTimeToLiveAsync(pages));
            Assert.Equal(first, (await store.ReadSnapshotAsync("flashSale", "s1"))!.Value.Payload);

            // Again at the same position (a compaction's snapshot): the new generation replaces the old one.
            var second = Bytes(999, seed: 2);
            await store.WriteSnapshotAsync("flashSale", "s1", new LedgerRecord(10, second));
            Assert.NotEqual(pages, Assert.Single(await PageKeysAsync(redis, prefix)));
            var read = await store.ReadSnapshotAsync("flashSale", "s1");
            Assert.Equal(10L, read!.Value.Position);
            Assert.Equal(second, read.Value.Payload);
        }

        redis.Kill();
        await redis.RestartAsync();

        await using var after = new RedisLedgerStore(ConfigurationOptions.Parse(redis.ConnectionString), prefix, snapshotPageBytes: 100);
        Assert.Equal(999, (await after.ReadSnapshotAsync("flashSale", "s1"))!.Value.Payload.Length);
        await after.WriteSnapshotAsync("flashSale", "s1", new LedgerRecord(12, [7, 8]));
        Assert.Empty(await PageKeysAsync(redis, prefix));
        var small = await after.ReadSnapshotAsync("flashSale", "s1");
        Assert.Equal(12L, small!.Value.Position);
        Assert.Equal(new byte[] { 7, 8 }, small.Value.Payload);
    }

    [Fact]
    public async Task APagedSnapshotOvertakenByAnotherWriterMakesNothingCurrentAndLeavesNoPages()
    {
        await using var redis = await RedisServer.StartAsync();
        var prefix = $"t{Guid.NewGuid():N}:";
        await using var store = new RedisLedgerStore(ConfigurationOptions.Parse(redis.ConnectionString), prefix, snapshotPageBytes: 100);
        await store.WriteSnapshotAsync("flashSale", "s1", new LedgerRecord(1, Bytes(250, seed: 1)));

        // Two writers of one ledger (a second activation): the paged one reads the current snapshot, then takes 300 round
        // trips for its pages; the small one, started after it, reads the same snapshot and replaces it long before.
        var paged = store.WriteSnapshotAsync("flashSale", "s1", new LedgerRecord(2, Bytes(30_000, seed: 2)));
        await store.WriteSnapshotAsync("flashSale", "s1", new LedgerRecord(3, [3, 3]));

        await Assert.ThrowsAsync<InvalidOperationException>(() => paged);
        var read = await store.ReadSnapshotAsync("flashSale", "s1");
        Assert.Equal(3L, read!.Value.Position);
        Assert.Equal([3, 3], read.Value.Payload);
        Assert.Empty(await PageKeysAsync(redis, prefix));
    }

    /// <summary>The keys of sale s1's snapshot pages, listed on an admin connection of its own.</summary>
    private static async Task<RedisKey[]> PageKeysAsync(RedisServer redis, string prefix)
    {
        var configuration = ConfigurationOptions.Parse(redis.ConnectionString);
        configuration.AllowAdmin = true;
        await using var connection = await ConnectionMultiplexer.ConnectAsync(configuration);
        return [.. connection.GetServer(connection.GetEndPoints()[0]).Keys(pattern: $"{prefix}ledger/flashSale/s1/snapshot/*")];
    }

    private static byte[] Bytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }
}
