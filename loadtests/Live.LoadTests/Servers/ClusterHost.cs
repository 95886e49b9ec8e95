using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Live.LoadTests.Servers;

/// <summary>
/// RedLive's split deployment as the tool's child processes on loopback, the topology of scripts/cluster.sh without
/// its load balancer: one redis-server (append-only file, <c>appendfsync always</c>, in a temp folder:
/// <see cref="RedisServer"/>), N <c>Live.Silo</c> processes (Redis clustering and grain storage) and M <c>Live.Hub</c>
/// processes (Orleans clients, Redis backplane) in production mode, their development tokens off and a signing key
/// of this run's, so the tool signs its users' tokens itself (<see cref="Tokens"/>). The processes are the test
/// suite's own (<see cref="NodeProcess"/>, <see cref="RedisServer"/> of tests/Live.Testing, the cluster tests use
/// them too). Clients are spread over the hubs by <see cref="LiveClients"/>; every process is sampled.
/// </summary>
public sealed class ClusterHost : IServerHost
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    // Ctrl+C or an unhandled failure: whatever is still running when the tool exits is killed, redis-server too. A
    // SIGKILL of the tool itself leaves them running (nothing in the process runs then): scripts/cluster.sh-style
    // cleanup by hand.
    private static readonly ConcurrentDictionary<ClusterHost, bool> Live = new();

    private readonly RedisServer _redis;
    private readonly List<NodeProcess> _silos = [];
    private readonly List<NodeProcess> _hubs = [];
    private readonly string _logDirectory;
    private readonly string _signingKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));

    static ClusterHost() => AppDomain.CurrentDomain.ProcessExit += (_, _) =>
    {
        foreach (var cluster in Live.Keys)
        {
            cluster.KillAll();
        }
    };

    private ClusterHost(RedisServer redis, string logDirectory)
    {
        _redis = redis;
        _logDirectory = logDirectory;
        Tokens = new SignedTokens(_signingKey);
    }

    public ServerKind Kind => ServerKind.RedLive;

    /// <summary>The first hub server: the REST calls (set-up, read-back) go there; any hub would answer the same.</summary>
    public Uri BaseUri => _hubs[0].BaseUri;

    /// <summary>No single process: see <see cref="Processes"/>.</summary>
    public int? ProcessId => null;

    public bool SharesProcessWithClients => false;

    public IReadOnlyList<Uri> HubServers => [.. _hubs.Select(h => h.BaseUri)];

    public IReadOnlyList<ServerProcess> Processes =>
    [
        .. _redis.ProcessId is { } redis ? [new ServerProcess("redis-server", redis)] : Array.Empty<ServerProcess>(),
        .. _silos.Concat(_hubs).Where(n => n.ProcessId is not null).Select(n => new ServerProcess(n.Name, n.ProcessId!.Value)),
    ];

    public SignedTokens Tokens { get; }

    public string Describe => $"cluster: redis-server, {_silos.Count} silos, {_hubs.Count} hubs";

    public static async Task<IServerHost> StartAsync(ServerSpec spec, int silos, int hubs, string logDirectory, CancellationToken cancellationToken)
    {
        if (spec.Kind != ServerKind.RedLive || silos < 1 || hubs < 1)
        {
            throw new ArgumentException($"a cluster runs RedLive with at least one silo and one hub (asked: {spec.Kind}, {silos} silos, {hubs} hubs)");
        }

        var cluster = new ClusterHost(await RedisServer.StartAsync(), logDirectory);
        Live[cluster] = true;
        try
        {
            var common = ServerApps.RedLiveSettings();
            foreach (var (key, value) in spec.Settings)
            {
                common[key] = value;
            }

            common["Redis:ConnectionString"] = cluster._redis.ConnectionString;
            common["Cluster:Clustering"] = "Redis";
            common["Cluster:Storage"] = "Redis";
            common["Cluster:ClusterId"] = $"loadtest-{Guid.NewGuid():N}";
            for (var i = 1; i <= silos; i++)
            {
                var silo = new NodeProcess($"silo-{i}", "Live.Silo", LoopbackPorts.Pick(), Settings(common, new()
                {
                    ["Cluster:SiloPort"] = Port(),
                    ["Cluster:GatewayPort"] = Port(),
                }));
                cluster._silos.Add(silo);
                silo.Start();
            }

            await Task.WhenAll(cluster._silos.Select(s => s.WaitHealthyAsync(StartTimeout))).WaitAsync(cancellationToken);
            for (var i = 1; i <= hubs; i++)
            {
                var hub = new NodeProcess($"hub-{i}", "Live.Hub", LoopbackPorts.Pick(), Settings(common, new()
                {
                    ["Hub:Mode"] = "Client",
                    ["Hub:Backplane"] = "Redis",
                    ["Hub:HubId"] = $"hub-{i}",
                    ["Auth:DevTokens"] = "false",
                    ["Auth:SigningKey"] = cluster._signingKey,
                }));
                cluster._hubs.Add(hub);
                hub.Start();
            }

            await Task.WhenAll(cluster._hubs.Select(h => h.WaitHealthyAsync(StartTimeout))).WaitAsync(cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Restarts the first hub server (the resume scenario's viewers are all on it): SIGKILL, or SIGTERM when
    /// <paramref name="graceful"/>, then started again on its port and answering <c>/health</c>. The silos, and with
    /// them every room's retained window, stay up.
    /// </summary>
    public async Task<ServerRestart> RestartAsync(bool graceful, CancellationToken cancellationToken)
    {
        var hub = _hubs[0];
        var killedAt = Stopwatch.GetTimestamp();
        if (graceful)
        {
            await hub.StopAsync();
        }

        hub.Kill();
        hub.Start();
        await hub.WaitHealthyAsync(StartTimeout).WaitAsync(cancellationToken);
        return new ServerRestart(killedAt, Stopwatch.GetTimestamp());
    }

    /// <summary>No process to collect garbage in from outside: the RSS of all of them, summed.</summary>
    public Task<MemoryReading?> MeasureMemoryAsync(CancellationToken cancellationToken)
    {
        var rss = Processes.Select(p => new Engine.ResourceSampler(p.ProcessId).RssBytes() ?? 0).Sum();
        return Task.FromResult<MemoryReading?>(new MemoryReading(null, rss));
    }

    public async ValueTask DisposeAsync()
    {
        Live.TryRemove(this, out _);
        Directory.CreateDirectory(_logDirectory);
        foreach (var node in _hubs.Concat(_silos))
        {
            // The last lines each process wrote (NodeProcess keeps them), for a run that went wrong.
            await File.WriteAllTextAsync(Path.Combine(_logDirectory, $"cluster-{_redis.Port}-{node.Name}.log"), node.Log);
            await node.DisposeAsync();
        }

        await _redis.DisposeAsync();
    }

    private void KillAll()
    {
        foreach (var node in _hubs.Concat(_silos))
        {
            node.Kill();
        }

        _redis.Kill();
        try
        {
            Directory.Delete(_redis.Directory, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temp folder.
        }
    }

    private static Dictionary<string, string> Settings(Dictionary<string, string?> common, Dictionary<string, string> own)
    {
        var settings = common.ToDictionary(p => p.Key, p => p.Value ?? "");
        foreach (var (key, value) in own)
        {
            settings[key] = value;
        }

        return settings;
    }

    private static string Port() => LoopbackPorts.Pick().ToString(CultureInfo.InvariantCulture);
}
