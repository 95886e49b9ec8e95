using Live.LoadTests.Servers;

namespace Live.LoadTests.Engine;

/// <summary>How the runner reaches servers and how long it waits for a scenario's set-up and finish.</summary>
public sealed record RunSettings
{
    public HostMode Host { get; init; } = HostMode.InProcess;

    public Uri? Url { get; init; }

    public int? ServerPid { get; init; }

    public Uri? BareUrl { get; init; }

    public int? BarePid { get; init; }

    public WireProtocol Protocol { get; init; } = WireProtocol.Json;

    /// <summary>Grain storage of the RedLive servers the tool starts: <c>Sqlite</c> (the default users run) or <c>Memory</c>.</summary>
    public string Storage { get; init; } = "Sqlite";

    public string LogDirectory { get; init; } = Path.GetTempPath();

    /// <summary>Silo processes of a <see cref="HostMode.Cluster"/>.</summary>
    public int Silos { get; init; } = 2;

    /// <summary>Hub server processes of a <see cref="HostMode.Cluster"/>; the clients are spread over them in turn.</summary>
    public int Hubs { get; init; } = 2;

    public TimeSpan InitTimeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan FinishTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Steps started but not yet answered past which a rate simulation counts new ones as not started.</summary>
    public int MaxInFlight { get; init; } = 20_000;
}
