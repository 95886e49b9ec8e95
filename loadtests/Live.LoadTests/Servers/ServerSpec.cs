namespace Live.LoadTests.Servers;

public enum ServerKind
{
    /// <summary>RedLive in its embedded mode: hub, REST API and an Orleans silo in one process.</summary>
    RedLive,

    /// <summary>A bare SignalR hub with no Orleans behind it: the baseline RedLive's cost is stated against.</summary>
    Bare,
}

/// <summary>Where the servers run.</summary>
public enum HostMode
{
    /// <summary>Inside the tool's own process: simplest, but clients and server share one process, its CPU and its open files.</summary>
    InProcess,

    /// <summary>A child process of the tool (<c>serve</c> command), so server CPU and memory are the server's alone.</summary>
    Process,

    /// <summary>A server someone else started, at <c>--url</c>.</summary>
    Url,

    /// <summary>
    /// RedLive's split deployment started by the tool: a redis-server, N silo and M hub processes (Redis clustering,
    /// storage and backplane), the clients spread over the hubs; the bare baseline stays one child process.
    /// </summary>
    Cluster,
}

/// <summary>Which server a scenario needs and the configuration it starts it with (ignored for a given URL).</summary>
public sealed record ServerSpec(ServerKind Kind, IReadOnlyDictionary<string, string?> Settings)
{
    public static ServerSpec RedLive(IReadOnlyDictionary<string, string?>? settings = null) => new(ServerKind.RedLive, settings ?? new Dictionary<string, string?>());

    public static ServerSpec Bare { get; } = new(ServerKind.Bare, new Dictionary<string, string?>());
}

/// <summary>A running server a scenario talks to.</summary>
public interface IServerHost : IAsyncDisposable
{
    ServerKind Kind { get; }

    Uri BaseUri { get; }

    /// <summary>The server's process, for CPU and memory samples; null when unknown.</summary>
    int? ProcessId { get; }

    /// <summary>True when the sampled process also runs the load clients.</summary>
    bool SharesProcessWithClients { get; }

    /// <summary>The hub servers clients connect to, in order (one, <see cref="BaseUri"/>, unless a cluster).</summary>
    IReadOnlyList<Uri> HubServers => [BaseUri];

    /// <summary>Every process the server runs as, sampled for CPU and memory (summed in the report's timeline).</summary>
    IReadOnlyList<ServerProcess> Processes => ProcessId is { } id ? [new ServerProcess(Kind.ToString(), id)] : [];

    /// <summary>
    /// Where the server's tokens come from: null, its development endpoint (<c>POST /api/dev/token</c>); otherwise the
    /// tool signs them with the key it gave the server, as an operator's own issuer would (a production-mode server).
    /// </summary>
    SignedTokens? Tokens => null;

    /// <summary>Collects garbage in the server (where it can) and reads its managed heap and resident memory.</summary>
    Task<MemoryReading?> MeasureMemoryAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Stops the server and starts it again on the same address and data, answering once it is healthy: killed
    /// (SIGKILL: a crash) or, when <paramref name="graceful"/>, stopped in order (SIGTERM: a deploy; the silo deactivates
    /// its grains). Only a server this tool runs as a child process (<see cref="HostMode.Process"/>) can do this; a
    /// cluster (<see cref="HostMode.Cluster"/>) restarts its first hub server.
    /// </summary>
    Task<ServerRestart> RestartAsync(bool graceful, CancellationToken cancellationToken) =>
        throw new NotSupportedException("restarting a server needs --host Process or --host Cluster");
}

public sealed record MemoryReading(long? ManagedBytes, long RssBytes);

/// <summary>When a restarted server was killed and when it answered healthy again (<see cref="System.Diagnostics.Stopwatch"/> timestamps).</summary>
public sealed record ServerRestart(long KilledAt, long HealthyAt);
