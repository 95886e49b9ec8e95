using System.ComponentModel.DataAnnotations;

namespace Live.Hosting;

/// <summary>How a process joins the Orleans cluster: membership, storage and its own endpoints.</summary>
public sealed class LiveClusterOptions
{
    // Not "Orleans": Orleans reads that section itself (provider configuration).
    public const string SectionName = "Cluster";

    [Required]
    public string ClusterId { get; set; } = "redlive";

    [Required]
    public string ServiceId { get; set; } = "redlive";

    /// <summary><c>Localhost</c> (development clustering on loopback) or <c>Redis</c>.</summary>
    [AllowedValues(ClusteringKinds.Localhost, ClusteringKinds.Redis)]
    public string Clustering { get; set; } = ClusteringKinds.Localhost;

    /// <summary>
    /// <c>Sqlite</c> (a file in <see cref="DataPath"/>: the durable default of one machine), <c>Redis</c> (silos on
    /// several machines) or <c>Memory</c> (lost when the silo stops: tests and throwaway runs).
    /// </summary>
    [AllowedValues(StorageKinds.Sqlite, StorageKinds.Memory, StorageKinds.Redis)]
    public string Storage { get; set; } = StorageKinds.Sqlite;

    /// <summary>The folder of <c>Sqlite</c> storage's file, created at start; relative to the content root.</summary>
    [Required]
    public string DataPath { get; set; } = "data";

    [Range(1, 65535)]
    public int SiloPort { get; set; } = 11111;

    [Range(1, 65535)]
    public int GatewayPort { get; set; } = 30000;

    /// <summary>Localhost clustering with several silos: the first silo's silo port (defaults to this silo's).</summary>
    public int? PrimarySiloPort { get; set; }

    /// <summary>Localhost clustering, client side: the gateway ports of the silos to connect to.</summary>
    public int[] GatewayPorts { get; set; } = [];

    /// <summary>How long a grain call may wait for its answer before it fails (Orleans' default is 30 s).</summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long <c>/health</c> stays 200 (degraded) while grain calls fail because a silo died, counted from the last
    /// call that got through: long enough for the cluster to declare the silo dead and move its grains.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan HealthGrace { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The address other silos and clients reach this silo at (Redis clustering).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Listen on every interface rather than only the advertised address (containers).</summary>
    public bool ListenOnAnyAddress { get; set; }
}
