namespace Live.LoadTests.Servers;

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
