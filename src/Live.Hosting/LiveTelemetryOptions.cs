using System.ComponentModel.DataAnnotations;

namespace Live.Hosting;

/// <summary>Metrics, traces and operator endpoints.</summary>
public sealed class LiveTelemetryOptions
{
    public const string SectionName = "Telemetry";

    /// <summary>Serve Prometheus metrics at <c>/metrics</c>.</summary>
    public bool Prometheus { get; set; } = true;

    /// <summary>Serve the Orleans dashboard at <c>/dashboard</c> (a process that hosts a silo only).</summary>
    public bool Dashboard { get; set; }

    /// <summary>
    /// Hub servers: a port of its own for <c>/metrics</c>, <c>/dashboard</c> and <c>/openapi</c>, which then answer
    /// there, to anyone who reaches it, and nowhere else. 0 (the default): they answer on the public port, to the
    /// operator role only.
    /// </summary>
    [Range(0, 65535)]
    public int ManagementPort { get; set; }

    /// <summary>The address the management port listens on (keep it off the public network).</summary>
    public string ManagementAddress { get; set; } = "127.0.0.1";
}
