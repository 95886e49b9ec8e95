using System.Text;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Cluster.Tests.Infrastructure;

/// <summary>
/// The split deployment as real processes on loopback: one redis-server, N Live.Silo and M Live.Hub (Orleans
/// clients) processes, with Redis clustering, Redis grain storage and the Redis SignalR backplane — the topology of
/// docker-compose.yml and scripts/cluster.sh, with the shipped failure detection (a killed silo is declared dead
/// in about 2 s).
/// </summary>
public sealed class LiveCluster : IAsyncDisposable
{
    public const string SigningKey = "cluster-tests-signing-key-0123456789abcdef";

    private readonly SignedTokens _tokens = new(SigningKey);

    private LiveCluster(RedisServer redis, string prefix)
    {
        Redis = redis;
        KeyPrefix = prefix;
    }

    public RedisServer Redis { get; }

    public string KeyPrefix { get; }

    public List<NodeProcess> Silos { get; } = [];

    public List<NodeProcess> Hubs { get; } = [];

    public static async Task<LiveCluster> StartAsync(int silos, int hubs)
    {
        var redis = await RedisServer.StartAsync();
        var cluster = new LiveCluster(redis, $"t{Guid.NewGuid():N}"[..9] + ":");
        try
        {
            for (var i = 0; i < silos; i++)
            {
                cluster.AddSilo().Start();
            }

            await Task.WhenAll(cluster.Silos.Select(s => s.WaitHealthyAsync()));
            for (var i = 0; i < hubs; i++)
            {
                cluster.AddHub().Start();
            }

            await Task.WhenAll(cluster.Hubs.Select(h => h.WaitHealthyAsync()));
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public NodeProcess AddSilo()
    {
        var settings = new Dictionary<string, string>(CommonSettings)
        {
            ["Cluster:SiloPort"] = LoopbackPorts.Pick().ToString(),
            ["Cluster:GatewayPort"] = LoopbackPorts.Pick().ToString(),
        };
        var silo = new NodeProcess($"silo-{Silos.Count + 1}", "Live.Silo", LoopbackPorts.Pick(), settings);
        Silos.Add(silo);
        return silo;
    }

    public NodeProcess AddHub()
    {
        var settings = new Dictionary<string, string>(CommonSettings)
        {
            ["Hub:Mode"] = "Client",
            ["Hub:Backplane"] = "Redis",
            ["Hub:HubId"] = $"hub-{Hubs.Count + 1}",
            // Every test viewer comes from loopback (through a layer-4 balancer): no per-address cap.
            ["Hub:MaxAnonymousConnectionsPerAddress"] = "0",
            ["Auth:DevTokens"] = "false",
            ["Auth:SigningKey"] = SigningKey,
            ["RateLimits:BuysPerSecond"] = "50",
            ["RateLimits:BuyBurst"] = "50",
        };
        var hub = new NodeProcess($"hub-{Hubs.Count + 1}", "Live.Hub", LoopbackPorts.Pick(), settings);
        Hubs.Add(hub);
        return hub;
    }

    private Dictionary<string, string> CommonSettings => new()
    {
        ["Redis:ConnectionString"] = Redis.ConnectionString,
        ["Redis:KeyPrefix"] = KeyPrefix,
        ["Cluster:Clustering"] = "Redis",
        ["Cluster:Storage"] = "Redis",
        ["Cluster:ClusterId"] = "cluster-tests",
        // Failure detection, gateway refresh, call timeouts and retries as shipped (LiveOrleansExtensions): the
        // failover tests check what a deployment gets.
        ["Notifications:HubHeartbeat"] = "00:00:02",
        ["Notifications:HubExpiry"] = "00:00:08",
        ["Notifications:PushTimeout"] = "00:00:02",
        ["FlashSales:MinDurationSeconds"] = "1",
        ["Rooms:PersistInterval"] = "00:00:00.100",
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Orleans"] = "Warning",
        ["Logging:LogLevel:Live"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore.SignalR.Internal.DefaultHubDispatcher"] = "Debug",
    };

    public string Token(string userId, string role = "viewer", string? name = null) => _tokens.Issue(userId, role, name);

    public static HttpClient Http(Uri baseUri, string? token) => BearerClient.Create(baseUri, token);

    /// <summary>A SignalR client over WebSockets to <paramref name="baseUri"/> (a hub or the load balancer), in JSON unless told.</summary>
    public static HubConnection Connection(Uri baseUri, string? token, bool reconnect = false, WireProtocol protocol = WireProtocol.Json)
    {
        var builder = WebSocketHub.Builder(new Uri(baseUri, "/hubs/live"), token).WithProtocol(protocol);
        if (reconnect)
        {
            builder.WithAutomaticReconnect([TimeSpan.Zero, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2)]);
        }

        return builder.Build();
    }

    public async Task RestartAllAsync()
    {
        foreach (var silo in Silos)
        {
            silo.Start();
        }

        await Task.WhenAll(Silos.Select(s => s.WaitHealthyAsync()));
        foreach (var hub in Hubs)
        {
            hub.Start();
        }

        await Task.WhenAll(Hubs.Select(h => h.WaitHealthyAsync()));
    }

    /// <summary>The processes' last log lines, for a failing assertion's message.</summary>
    public string Logs()
    {
        var text = new StringBuilder();
        foreach (var node in Silos.Concat(Hubs))
        {
            text.Append("---- ").Append(node.Name).Append('\n').Append(node.Log).Append('\n');
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Hubs.Concat(Silos))
        {
            await node.DisposeAsync();
        }

        await Redis.DisposeAsync();
    }
}
