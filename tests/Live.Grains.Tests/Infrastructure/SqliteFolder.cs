using Live.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Serialization;
using Orleans.Storage;

namespace Live.Grains.Tests.Infrastructure;

/// <summary>
/// A temporary folder for the storage tests' SQLite file (<see cref="DatabasePath"/>), and every
/// <see cref="SqliteGrainStorage"/> a test opened on it: closed, then the folder deleted, when the test ends.
/// </summary>
internal sealed class SqliteFolder(string prefix, string file = "redlive.db") : IAsyncDisposable
{
    /// <summary>The silo's grain-storage format, as the grains' states and the ledgers use it.</summary>
    public static readonly IGrainStorageSerializer Serializer = new OrleansGrainStorageSerializer(
        new ServiceCollection().AddSerializer().BuildServiceProvider().GetRequiredService<Serializer>());

    private readonly List<SqliteGrainStorage> _opened = [];

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"redlive-{prefix}-{Guid.NewGuid().ToString("N")[..8]}");

    public string DatabasePath => System.IO.Path.Combine(Path, file);

    /// <summary>Opens a storage on <see cref="DatabasePath"/> (whatever <paramref name="options"/> says of the path).</summary>
    public async Task<SqliteGrainStorage> OpenAsync(SqliteGrainStorageOptions? options = null)
    {
        options ??= new SqliteGrainStorageOptions();
        options.DatabasePath = DatabasePath;
        var storage = new SqliteGrainStorage("test", options, Serializer, NullLogger<SqliteGrainStorage>.Instance);
        await storage.OpenAsync(CancellationToken.None);
        _opened.Add(storage);
        return storage;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var storage in _opened)
        {
            await storage.DisposeAsync();
        }

        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}
