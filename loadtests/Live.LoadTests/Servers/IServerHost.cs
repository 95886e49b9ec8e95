namespace Live.LoadTests.Servers;

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
