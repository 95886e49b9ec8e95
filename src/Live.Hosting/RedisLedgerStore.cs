using Live.Grains.Ledger;
using StackExchange.Redis;

namespace Live.Hosting;

/// <summary>
/// The grains' <see cref="ILedgerStore"/> in Redis (<c>Cluster:Storage=Redis</c>): one list per log
/// (<c>{prefix}ledger/{name}/{key}</c>, entry n at index n - 1) and one hash per snapshot (<c>.../snapshot</c>). An
/// append is one script, so it is atomic (with the entries it puts at the end of other logs) and checks the list's length first; it is as durable as Redis's
/// <c>appendfsync</c> makes it (<c>always</c>: on disk when Redis answers).
/// </summary>
/// <remarks>
/// A snapshot bigger than <c>snapshotPageBytes</c> (1 MiB by default) is written in pages: each page is one
/// <c>HSET</c> into a hash of its own generation (<c>.../snapshot/{generation}</c>), and a last transaction points the
/// snapshot's hash at that generation and deletes the one it replaces. Redis serves other clients between the pages
/// (a 51 MB value in one command held the server, the backplane's publishes included, for its whole write and, with
/// <c>appendfsync always</c>, its fsync), and so does the multiplexer's one connection. Until the last transaction the
/// previous snapshot is the one read; the pages of a write that never finished expire after an hour.
/// </remarks>
public sealed class RedisLedgerStore(ConfigurationOptions configuration, string keyPrefix, int snapshotPageBytes = RedisLedgerStore.DefaultSnapshotPageBytes)
    : ILedgerStore, IAsyncDisposable
{
    /// <summary>1 MiB, as the SQLite store's pages.</summary>
    public const int DefaultSnapshotPageBytes = 1 << 20;

    private static readonly TimeSpan UnfinishedPagesLifetime = TimeSpan.FromHours(1);

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
        ArgumentOutOfRangeException.ThrowIfLessThan(snapshotPageBytes, 1);
        var db = (await _connection.Value).GetDatabase();
        var header = SnapshotKey(name, key);
        var replaced = await db.HashGetAsync(header, "generation");
        var payload = snapshot.Payload;
        var transaction = db.CreateTransaction();

        // Only over the snapshot read above: another writer's (a second activation's) in between fails this one, which
        // would otherwise delete the wrong pages and leave that writer's for good.
        transaction.AddCondition(replaced.IsNull ? Condition.HashNotExists(header, "generation") : Condition.HashEqual(header, "generation", replaced));
        RedisKey? written = null;
        if (payload.Length <= snapshotPageBytes)
        {
            _ = transaction.HashSetAsync(header, [new("position", snapshot.Position), new("payload", payload)]);
            _ = transaction.HashDeleteAsync(header, ["pages", "generation"]);
        }
        else
        {
            var generation = Guid.NewGuid().ToString("N");
            var pagesKey = PagesKey(name, key, generation);
            var pages = (int)((payload.Length + (long)snapshotPageBytes - 1) / snapshotPageBytes);
            written = pagesKey;
            for (var page = 0; page < pages; page++)
            {
                var offset = page * snapshotPageBytes;
                RedisValue slice = (ReadOnlyMemory<byte>)payload.AsMemory(offset, Math.Min(snapshotPageBytes, payload.Length - offset));
                if (page == 0)
                {
                    // The expiry in the same round trip: pages of a write that never finishes never stay for good.
                    var first = db.CreateTransaction();
                    _ = first.HashSetAsync(pagesKey, page, slice);
                    _ = first.KeyExpireAsync(pagesKey, UnfinishedPagesLifetime);
                    await first.ExecuteAsync();
                }
                else
                {
                    await db.HashSetAsync(pagesKey, page, slice);
                }
            }

            _ = transaction.KeyPersistAsync(pagesKey);
            _ = transaction.HashSetAsync(header, [new("position", snapshot.Position), new("payload", RedisValue.EmptyString), new("pages", pages), new("generation", generation)]);
        }

        if (!replaced.IsNull)
        {
            _ = transaction.KeyDeleteAsync(PagesKey(name, key, replaced!));
        }

        if (!await transaction.ExecuteAsync())
        {
            if (written is { } own)
            {
                await db.KeyDeleteAsync(own);
            }

            throw new InvalidOperationException($"ledger {name}/{key}: another snapshot replaced the one this write was to replace; not written");
        }
    }

    public async Task<LedgerRecord?> ReadSnapshotAsync(string name, string key)
    {
        var db = (await _connection.Value).GetDatabase();
        var header = SnapshotKey(name, key);

        // The header, then its pages, then the header again: a snapshot replaced in between deleted those pages, so
        // the read starts over (the sale's own activation is its only writer, so this is for a former activation's last write).
        for (var attempt = 0; ; attempt++)
        {
            var fields = await db.HashGetAsync(header, ["position", "payload", "pages", "generation"]);
            if (fields[0].IsNull || fields[1].IsNull)
            {
                return null;
            }

            var position = (long)fields[0];
            if (fields[2].IsNull)
            {
                return new LedgerRecord(position, (byte[])fields[1]!);
            }

            var pages = (int)fields[2];
            var generation = (string)fields[3]!;
            var parts = await db.HashGetAsync(PagesKey(name, key, generation), [.. Enumerable.Range(0, pages).Select(i => (RedisValue)i)]);
            if (parts.All(p => !p.IsNull))
            {
                var whole = new byte[parts.Sum(p => p.Length())];
                var at = 0;
                foreach (var part in parts)
                {
                    var bytes = (byte[])part!;
                    bytes.CopyTo(whole, at);
                    at += bytes.Length;
                }

                return new LedgerRecord(position, whole);
            }

            if (attempt >= 2 || (string?)await db.HashGetAsync(header, "generation") == generation)
            {
                throw new InvalidOperationException($"ledger {name}/{key}: its snapshot at position {position} is missing pages of generation {generation}");
            }
        }
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

    private RedisKey PagesKey(string name, string key, string generation) => $"{keyPrefix}ledger/{name}/{key}/snapshot/{generation}";
}
