namespace Live.Storage;

/// <summary>Where <see cref="SqliteGrainStorage"/> keeps its file and how it commits.</summary>
/// <remarks>Set in code by the host (from <c>Cluster:DataPath</c>), as Orleans' own providers take their options.</remarks>
public sealed class SqliteGrainStorageOptions
{
    /// <summary>The database file; its folder is created at start. SQLite keeps <c>-wal</c> and <c>-shm</c> files beside it.</summary>
    public string DatabasePath { get; set; } = Path.Combine("data", "redlive.db");

    /// <summary>
    /// At most this many waiting writes share one transaction (one fsync). 1 makes every write its own commit, which
    /// the micro-benchmark compares against.
    /// </summary>
    public int MaxWritesPerCommit { get; set; } = 256;
}
