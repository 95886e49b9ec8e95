using System.Diagnostics;
using StackExchange.Redis;

namespace Live.Testing;

/// <summary>
/// A real redis-server process on a free port with append-only persistence in a folder of its own. It can be
/// killed and started again on the same port and folder (a blip, or a restart that keeps its data).
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private Process? _process;

    private RedisServer(int port, string directory)
    {
        Port = port;
        Directory = directory;
    }

    public int Port { get; }

    public string Directory { get; }

    public string ConnectionString => $"127.0.0.1:{Port}";

    /// <summary>The running redis-server's process id (for CPU and memory samples), null when it is not running.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    public static async Task<RedisServer> StartAsync()
    {
        var path = FindRedisServer();
        var directory = Path.Combine(Path.GetTempPath(), "redlive-redis-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(directory);
        var server = new RedisServer(LoopbackPorts.Pick(), directory);
        await server.StartProcessAsync(path);
        return server;
    }

    public Task RestartAsync() => StartProcessAsync(FindRedisServer());

    public void Kill()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(5000);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        await Task.Yield();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task StartProcessAsync(string path)
    {
        var info = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "--port", Port.ToString(), "--bind", "127.0.0.1", "--dir", Directory, "--appendonly", "yes",
                     "--appendfsync", "always", "--save", "", "--protected-mode", "no", "--daemonize", "no",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException("redis-server did not start");
        _process.OutputDataReceived += (_, _) => { };
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var process = _process;
        await Eventually.GetAsync(
            $"redis-server on port {Port} answering",
            async () =>
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync($"{ConnectionString},connectTimeout=1000");
                return await connection.GetDatabase().PingAsync();
            },
            _ => true,
            TimeSpan.FromSeconds(15),
            // Not reachable yet, or reachable but still replaying its append-only file after a restart (LOADING): not
            // ready, either way.
            retryOn: e => (e is RedisConnectionException || e is RedisServerException { Message: var m } && m.StartsWith("LOADING", StringComparison.Ordinal)) && !process.HasExited);
    }

    /// <summary>The test command installs redis-server; a test that cannot find it fails and says why.</summary>
    private static string FindRedisServer()
    {
        foreach (var candidate in new[] { "/usr/bin/redis-server", "/usr/local/bin/redis-server" })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "redis-server is not installed: run ./scripts/test.sh (it installs it) or `apt-get install redis-server`");
    }
}
