using Live.Grains.Ledger;
using StackExchange.Redis;

namespace Live.Hosting;

/// <summary>
/// The grains' <see cref="ILedgerStore"/> in Redis (<c>Cluster:Storage=Redis</c>): one list per log
/// (<c>{prefix}ledger/{name}/{key}</c>, entry n at index n - 1) and one hash per snapshot (<c>.../snapshot</c>). An
/// append is one script, so it is atomic and checks the list's length first; it is as durable as Redis's
/// <c>appendfsync</c> makes it (<c>always</c>: on disk when Redis answers).
/// </summary>
public sealed class RedisLedgerStore(ConfigurationOptions configuration, string keyPrefix) : ILedgerStore, IAsyncDisposable
{
    // Appends in chunks: Lua's unpack has a limit on how many values it returns at once.
    private const string AppendScript = """
        local n = redis.call('LLEN', KEYS[1])
        if n ~= tonumber(ARGV[1]) then return -1 - n end
        local i = 2
        while i <= #ARGV do
            local j = math.min(i + 999, #ARGV)
            redis.call('RPUSH', KEYS[1], unpack(ARGV, i, j))
            i = j + 1
        end
        return n + #ARGV - 1
        """;

    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() => ConnectionMultiplexer.ConnectAsync(configuration));

    public async Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries)
    {
        if (entries.Count == 0)
        {
            return;
        }

        var args = new RedisValue[entries.Count + 1];
        args[0] = expectedLength;
        for (var i = 0; i < entries.Count; i++)
        {
            args[i + 1] = entries[i];
        }

        var db = (await _connection.Value).GetDatabase();
        var result = (long)await db.ScriptEvaluateAsync(AppendScript, [LogKey(name, key)], args);
        if (result < 0)
        {
            throw new LedgerConflictException(name, key, expectedLength, -1 - result);
        }
    }

    public async Task<IReadOnlyList<LedgerRecord>> ReadAsync(string name, string key, long after, int limit)
    {
        var db = (await _connection.Value).GetDatabase();
        var values = await db.ListRangeAsync(LogKey(name, key), after, after + limit - 1);
        return [.. values.Select((v, i) => new LedgerRecord(after + i + 1, (byte[])v!))];
    }

    public async Task WriteSnapshotAsync(string name, string key, LedgerRecord snapshot)
    {
        var db = (await _connection.Value).GetDatabase();
        await db.HashSetAsync(SnapshotKey(name, key), [new("position", snapshot.Position), new("payload", snapshot.Payload)]);
    }

    public async Task<LedgerRecord?> ReadSnapshotAsync(string name, string key)
    {
        var db = (await _connection.Value).GetDatabase();
        var fields = await db.HashGetAsync(SnapshotKey(name, key), ["position", "payload"]);
        return fields[0].IsNull || fields[1].IsNull ? null : new LedgerRecord((long)fields[0], (byte[])fields[1]!);
    }

    public async ValueTask DisposeAsync()
    {
        if (_connection.IsValueCreated)
        {
            await (await _connection.Value).DisposeAsync();
        }
    }

    private RedisKey LogKey(string name, string key) => $"{keyPrefix}ledger/{name}/{key}";

    private RedisKey SnapshotKey(string name, string key) => $"{keyPrefix}ledger/{name}/{key}/snapshot";
}
