namespace Live.Storage;

/// <summary>Where <see cref="SqliteGrainStorage"/> keeps its file and how it commits.</summary>
/// <remarks>Set in code by the host (from <c>Cluster:DataPath</c>), as Orleans' own providers take their options.</remarks>
public sealed class SqliteGrainStorageOptions
{
    /// <summary>The database file; its folder is created at start. SQLite keeps <c>-wal</c> and <c>-shm</c> files beside it.</summary>
    public string DatabasePath { get; set; } = Path.Combine("data", "redlive.db");

    /// <summary>
    /// At most this many waiting writes share one transaction (one fsync). 1 makes every write its own commit, which
    /// the micro-benchmark compares against. 1,024 rather than 256: with 1,000 buyers each waiting on a write, 256 took
    /// several commits (and fsyncs) per round; at steady state the rush answered 6,327–6,889 calls/s against
    /// 5,636–5,962 (four alternating runs each, docs/PERF.md §21). <c>Cluster:Sqlite:MaxWritesPerCommit</c>.
    /// </summary>
    public int MaxWritesPerCommit { get; set; } = 1024;

    /// <summary>
    /// The writer's page cache, in KiB (SQLite's <c>cache_size</c>; its default is 2,000 KiB). The writer touches one
    /// page per order book it appends to, so a cache smaller than the pages of the books in play reads them back from
    /// the file at every commit.
    /// </summary>
    public int CacheSizeKiB { get; set; } = 64 * 1024;

    /// <summary>
    /// The writer's own commit copies the log into the database once it holds this many pages (SQLite's
    /// <c>wal_autocheckpoint</c>; its default is 1,000): the bound of the <c>-wal</c> file (about this many pages) when
    /// the copy beside the writer (<see cref="CheckpointInterval"/>) cannot catch up. A checkpoint writes each page once
    /// however often it changed since the previous one, so a longer log writes less; the price is a larger <c>-wal</c>
    /// file and a longer recovery read at start.
    /// </summary>
    public int CheckpointPages { get; set; } = 10_000;

    /// <summary>
    /// How often the log is looked at and copied into the database on a connection beside the writer, when something
    /// was committed since the previous copy and the log holds at least a quarter of <see cref="CheckpointPages"/>;
    /// <see cref="Timeout.InfiniteTimeSpan"/> (<c>-00:00:00.001</c>) leaves it to the writer's own commit at
    /// <see cref="CheckpointPages"/>. The copy does not hold the writer, which the commit that copies does: with it, the
    /// standard rush answered 9,798–14,307 calls/s in 19 runs, against 5,805–12,585 in 14 without, its worst stall gone
    /// (docs/PERF.md §25). <c>Cluster:Sqlite:CheckpointInterval</c>.
    /// </summary>
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A ledger snapshot bigger than this is written in pages of this size, each its own commit, so the writes of
    /// other grains are committed between them instead of waiting for the whole snapshot (<see cref="SqliteLedger"/>).
    /// 1 MiB: a page's commit takes milliseconds, and a million-answer sale's 51 MB snapshot is 49 of them.
    /// <c>Cluster:Sqlite:SnapshotPageBytes</c>.
    /// </summary>
    public int SnapshotPageBytes { get; set; } = 1 << 20;
}
