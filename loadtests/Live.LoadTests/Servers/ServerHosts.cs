using System.Diagnostics;
using System.Globalization;

namespace Live.LoadTests.Servers;

public static class ServerHosts
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Starts (or, for <see cref="HostMode.Url"/>, finds) the server a scenario needs. A RedLive server this tool
    /// starts stores its grains as <paramref name="storage"/> says (unless the scenario names a storage): with
    /// <c>Sqlite</c>, the default a user runs, in a new data folder of its own, deleted when the server is disposed,
    /// so that no scenario starts on another's data. With <see cref="HostMode.Cluster"/>, RedLive runs as a cluster of
    /// <paramref name="silos"/> silos and <paramref name="hubs"/> hubs on a new redis-server (its storage), and the bare
    /// baseline as one child process, as with <see cref="HostMode.Process"/>.
    /// </summary>
    public static async Task<IServerHost> StartAsync(HostMode mode, ServerSpec spec, string storage, Uri? url, int? pid, string logDirectory, CancellationToken cancellationToken, int silos = 2, int hubs = 2)
    {
        if (mode == HostMode.Cluster)
        {
            return spec.Kind == ServerKind.RedLive
                ? await ClusterHost.StartAsync(spec, silos, hubs, logDirectory, cancellationToken)
                : await StartCoreAsync(HostMode.Process, spec, url, pid, logDirectory, cancellationToken);
        }

        if (mode == HostMode.Url || spec.Kind != ServerKind.RedLive || spec.Settings.ContainsKey(StorageKey))
        {
            return await StartCoreAsync(mode, spec, url, pid, logDirectory, cancellationToken);
        }

        var settings = new Dictionary<string, string?>(spec.Settings) { [StorageKey] = storage };
        string? dataFolder = null;
        if (string.Equals(storage, "Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            dataFolder = Path.Combine(Path.GetTempPath(), "redlive-loadtest-" + Guid.NewGuid().ToString("N")[..8]);
            settings["Cluster:DataPath"] = dataFolder;
        }

        try
        {
            var host = await StartCoreAsync(mode, spec with { Settings = settings }, url, pid, logDirectory, cancellationToken);
            return dataFolder is null ? host : new DataFolderHost(host, dataFolder);
        }
        catch
        {
            DeleteFolder(dataFolder);
            throw;
        }
    }

    private const string StorageKey = "Cluster:Storage";

    private static void DeleteFolder(string? folder)
    {
        if (folder is not null && Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task<IServerHost> StartCoreAsync(HostMode mode, ServerSpec spec, Uri? url, int? pid, string logDirectory, CancellationToken cancellationToken)
    {
        switch (mode)
        {
            case HostMode.InProcess:
                {
                    var port = LoopbackPorts.Pick();
                    var app = ServerApps.Build(spec.Kind, port, spec.Settings);
                    await app.StartAsync(cancellationToken);
                    var host = new InProcessHost(app, spec.Kind, new Uri($"http://127.0.0.1:{port}"));
                    await ServerApps.WaitHealthyAsync(host.BaseUri, StartTimeout);
                    return host;
                }

            case HostMode.Process:
                return await ChildProcessHost.StartAsync(spec, logDirectory, cancellationToken);

            default:
                {
                    var baseUri = url ?? throw new ArgumentException("a URL is needed for --host url");
                    await ServerApps.WaitHealthyAsync(baseUri, StartTimeout);
                    return new UrlHost(spec.Kind, baseUri, pid);
                }
        }
    }

    /// <summary>A server with a data folder of its own, deleted once the server has stopped.</summary>
    private sealed class DataFolderHost(IServerHost inner, string folder) : IServerHost
    {
        public ServerKind Kind => inner.Kind;

        public Uri BaseUri => inner.BaseUri;

        public int? ProcessId => inner.ProcessId;

        public bool SharesProcessWithClients => inner.SharesProcessWithClients;

        public Task<MemoryReading?> MeasureMemoryAsync(CancellationToken cancellationToken) => inner.MeasureMemoryAsync(cancellationToken);

        public Task<ServerRestart> RestartAsync(bool graceful, CancellationToken cancellationToken) => inner.RestartAsync(graceful, cancellationToken);

        public async ValueTask DisposeAsync()
        {
            try
            {
                await inner.DisposeAsync();
            }
            finally
            {
                DeleteFolder(folder);
            }
        }
    }

    private sealed class InProcessHost(WebApplication app, ServerKind kind, Uri baseUri) : IServerHost
    {
        public ServerKind Kind { get; } = kind;

        public Uri BaseUri { get; } = baseUri;

        public int? ProcessId => Environment.ProcessId;

        public bool SharesProcessWithClients => true;

        public Task<MemoryReading?> MeasureMemoryAsync(CancellationToken cancellationToken)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            using var self = Process.GetCurrentProcess();
            return Task.FromResult<MemoryReading?>(new MemoryReading(GC.GetTotalMemory(false), self.WorkingSet64));
        }

        public async ValueTask DisposeAsync()
        {
            try
            {
                await app.StopAsync(TimeSpan.FromSeconds(15));
            }
            finally
            {
                await app.DisposeAsync();
            }
        }
    }

    private sealed class UrlHost(ServerKind kind, Uri baseUri, int? pid) : IServerHost
    {
        public ServerKind Kind { get; } = kind;

        public Uri BaseUri { get; } = baseUri;

        public int? ProcessId { get; } = pid;

        public bool SharesProcessWithClients => false;

        public Task<MemoryReading?> MeasureMemoryAsync(CancellationToken cancellationToken)
        {
            var rss = ProcessId is { } id ? new Engine.ResourceSampler(id).RssBytes() : null;
            return Task.FromResult(rss is { } bytes ? new MemoryReading(null, bytes) : null);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>The server in a child process: this tool's own <c>serve</c> command, which exits if the tool dies.</summary>
    private sealed class ChildProcessHost(ProcessStartInfo start, ServerKind kind, Uri baseUri, StreamWriter log) : IServerHost
    {
        private Process? _process;

        public ServerKind Kind { get; } = kind;

        public Uri BaseUri { get; } = baseUri;

        // Read at start: the Process object forgets its id when disposed, and reports are written after that. After a
        // restart this is the new process.
        public int? ProcessId { get; private set; }

        public bool SharesProcessWithClients => false;

        public static async Task<IServerHost> StartAsync(ServerSpec spec, string logDirectory, CancellationToken cancellationToken)
        {
            var port = LoopbackPorts.Pick();
            var (fileName, prefix) = SelfCommand();
            var start = new ProcessStartInfo(fileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in prefix)
            {
                start.ArgumentList.Add(arg);
            }

            start.ArgumentList.Add("serve");
            start.ArgumentList.Add("--kind");
            start.ArgumentList.Add(spec.Kind.ToString());
            start.ArgumentList.Add("--port");
            start.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
            start.ArgumentList.Add("--parent-pid");
            start.ArgumentList.Add(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
            foreach (var (key, value) in spec.Settings)
            {
                start.ArgumentList.Add("--set");
                start.ArgumentList.Add($"{key}={value}");
            }

            Directory.CreateDirectory(logDirectory);
            var log = new StreamWriter(Path.Combine(logDirectory, $"server-{spec.Kind}-{port}.log")) { AutoFlush = true };
            var host = new ChildProcessHost(start, spec.Kind, new Uri($"http://127.0.0.1:{port}"), log);
            try
            {
                await host.LaunchAsync();
            }
            catch
            {
                await host.DisposeAsync();
                throw;
            }

            return host;
        }

        public async Task<ServerRestart> RestartAsync(bool graceful, CancellationToken cancellationToken)
        {
            var killedAt = Stopwatch.GetTimestamp();
            if (graceful)
            {
                await StopAsync();
            }

            await KillAsync();
            Write(log, graceful ? "--- stopped (SIGTERM) by the load tool to restart it ---" : "--- killed by the load tool to restart it ---");
            await LaunchAsync();
            return new ServerRestart(killedAt, Stopwatch.GetTimestamp());
        }

        private async Task LaunchAsync()
        {
            var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {start.FileName}");
            _process = process;
            ProcessId = process.Id;
            process.OutputDataReceived += (_, e) => Write(log, e.Data);
            process.ErrorDataReceived += (_, e) => Write(log, e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await ServerApps.WaitHealthyAsync(BaseUri, StartTimeout, () => !process.HasExited);
        }

        /// <summary>SIGTERM, as a deploy stops a server, and up to 60 s for it to shut down in order (Linux: <c>kill</c>).</summary>
        private async Task StopAsync()
        {
            if (_process is not { HasExited: false } process)
            {
                return;
            }

            using (var term = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", process.Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false }))
            {
                await term!.WaitForExitAsync();
            }

            // Still running after a minute: the kill that follows ends it.
            await WaitForExitAsync(process, TimeSpan.FromSeconds(60));
        }

        private async Task KillAsync()
        {
            if (_process is not { } process)
            {
                return;
            }

            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await WaitForExitAsync(process, TimeSpan.FromSeconds(15));
            }

            process.Dispose();
            _process = null;
        }

        /// <summary>Waits at most <paramref name="within"/> for the process to exit (a killed one may not yet be reaped).</summary>
        private static async Task WaitForExitAsync(Process process, TimeSpan within)
        {
            try
            {
                await process.WaitForExitAsync().WaitAsync(within);
            }
            catch (TimeoutException)
            {
                // Not exited in time: the caller goes on (kills it, or leaves a killed one to be reaped).
            }
        }

        public async Task<MemoryReading?> MeasureMemoryAsync(CancellationToken cancellationToken)
        {
            using var http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(60) };
            return await http.GetFromJsonAsync<MemoryReading>(ServerApps.MemoryPath, cancellationToken);
        }

        public async ValueTask DisposeAsync()
        {
            await KillAsync();
            lock (log)
            {
                log.Dispose();
            }
        }

        private static void Write(StreamWriter log, string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (log)
            {
                try
                {
                    log.WriteLine(line);
                }
                catch (ObjectDisposedException)
                {
                    // The last lines of a killed server, after its host closed the log.
                }
            }
        }

        /// <summary>How to run this tool again: <c>dotnet</c> with its dll, whoever hosts this process (the tool or a test runner).</summary>
        private static (string FileName, string[] Prefix) SelfCommand()
        {
            var dll = typeof(ServerHosts).Assembly.Location;
            var processPath = Environment.ProcessPath;
            var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH")
                ?? (processPath is not null && Path.GetFileNameWithoutExtension(processPath) == "dotnet" ? processPath : "dotnet");
            return (dotnet, [dll]);
        }
    }
}
