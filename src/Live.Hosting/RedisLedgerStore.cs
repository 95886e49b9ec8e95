using Live.Grains.Ledger;
using StackExchange.Redis;

namespace Live.Hosting;

/// <summary>
/// The grains' <see cref="ILedgerStore"/> in Redis (<c>Cluster:Storage=Redis</c>): one list per log
/// (<c>{prefix}ledger/{name}/{key}</c>, entry n at index n - 1) and one hash per snapshot (<c>.../snapshot</c>). An
/// append is one script, so it is atomic (with the entries it puts at the end of other logs) and checks the list's length first; it is as durable as Redis's
/// <c>appendfsync</c> makes it (<c>always</c>: on disk when Redis answers).
/// </summary>
public sealed class RedisLedgerStore(ConfigurationOptions configuration, string keyPrefix) : ILedgerStore, IAsyncDisposable
{
    // KEYS[1] is the checked log, KEYS[2..] the logs of the entries at their end; ARGV[1] the expected length, ARGV[2]
    // how many entries the checked log takes, then those entries, then one entry per further key. Appends in chunks:
    // Lua's unpack has a limit on how many values it returns at once. Every key of one script must be on one Redis
    // (a single server or primary, as RedLive runs it; a Redis Cluster would need them in one hash slot).
    private const string AppendScript = """
        local count = tonumber(ARGV[2])
        if count > 0 then
            local n = redis.call('LLEN', KEYS[1])
            if n ~= tonumber(ARGV[1]) then return -1 - n end
            local i = 3
            local last = 2 + count
            while i <= last do
                local j = math.min(i + 999, last)
                redis.call('RPUSH', KEYS[1], unpack(ARGV, i, j))
                i = j + 1
            end
        end
        for k = 2, #KEYS do
            redis.call('RPUSH', KEYS[k], ARGV[1 + count + k])
        end
        return 0
        """;

    private readonly Lazy<Task<ConnectionMultiplexer>> _connection = new(() => ConnectionMultiplexer.ConnectAsync(configuration));

    public Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries) =>
        AppendAsync(name, key, expectedLength, entries, []);

    public async Task AppendAsync(string name, string key, long expectedLength, IReadOnlyList<byte[]> entries, IReadOnlyList<LedgerTailEntry> atEnd)
    {
        if (entries.Count == 0 && atEnd.Count == 0)
        {
            return;
        }

        var keys = new RedisKey[atEnd.Count + 1];
        var args = new RedisValue[entries.Count + atEnd.Count + 2];
        keys[0] = LogKey(name, key);
        args[0] = expectedLength;
        args[1] = entries.Count;
        for (var i = 0; i < entries.Count; i++)
        {
            args[i + 2] = entries[i];
        }

        for (var i = 0; i < atEnd.Count; i++)
        {
            keys[i + 1] = LogKey(atEnd[i].Name, atEnd[i].Key);
            args[entries.Count + 2 + i] = atEnd[i].Entry;
        }

        var db = (await _connection.Value).GetDatabase();
        var result = (long)await db.ScriptEvaluateAsync(AppendScript, keys, args);
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
