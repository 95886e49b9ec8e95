using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Live.Testing;

/// <summary>
/// A Live.Silo or Live.Hub process started from its build output, with its log kept for failures; it can be killed
/// (SIGKILL) and started again with the same settings, port and data.
/// </summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly string _dll;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly List<string> _log = [];
    private Process? _process;

    public NodeProcess(string name, string project, int httpPort, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        HttpPort = httpPort;
        _dll = BuildOutput.AppDll(project);
        _settings = settings;
    }

    public string Name { get; }

    public int HttpPort { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{HttpPort}");

    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The running process's id (for CPU and memory samples), null when it is not running.</summary>
    public int? ProcessId => IsRunning ? _process!.Id : null;

    public string Log
    {
        get
        {
            lock (_log)
            {
                return string.Join('\n', _log.TakeLast(80));
            }
        }
    }

    /// <summary>Whether any line the process has written so far (stdout or stderr) contains <paramref name="text"/>.</summary>
    public bool Wrote(string text)
    {
        lock (_log)
        {
            return _log.Exists(line => line.Contains(text, StringComparison.Ordinal));
        }
    }

    public void Start()
    {
        if (!File.Exists(_dll))
        {
            throw new InvalidOperationException($"{_dll} is missing: build the solution first");
        }

        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(_dll)!,
        };
        info.ArgumentList.Add(_dll);
        info.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{HttpPort}";
        info.Environment["DOTNET_ENVIRONMENT"] = "Production";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        foreach (var (key, value) in _settings)
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        _process = Process.Start(info) ?? throw new InvalidOperationException($"{Name} did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public async Task WaitHealthyAsync(TimeSpan? timeout = null)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            await Eventually.GetAsync(
                $"{Name} healthy",
                async () => IsRunning
                    ? (await http.GetAsync(new Uri(BaseUri, "/health"))).IsSuccessStatusCode
                    : throw new InvalidOperationException($"{Name} exited: {Log}"),
                healthy => healthy,
                timeout ?? TimeSpan.FromSeconds(60),
                TimeSpan.FromMilliseconds(200),
                retryOn: e => e is HttpRequestException or TaskCanceledException);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message}: {Log}", e);
        }
    }

    /// <summary>SIGKILL: no shutdown, no flushing; what a crash or a pulled plug does.</summary>
    public void Kill()
    {
        if (IsRunning)
        {
            _process!.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    /// <summary>SIGTERM: a graceful stop (grains deactivate and write what they hold).</summary>
    public async Task StopAsync()
    {
        if (!IsRunning)
        {
            return;
        }

        _ = kill(_process!.Id, 15);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        await Task.CompletedTask;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.Add(line);
        }
    }

    [DllImport("libc", SetLastError = true)]
#pragma warning disable SYSLIB1054 // one signal, no marshalling worth generating
    private static extern int kill(int pid, int signal);
#pragma warning restore SYSLIB1054
}
