using System.ComponentModel.DataAnnotations;

namespace Live.Hub;

/// <summary>How this hub server runs.</summary>
public sealed class LiveHubOptions
{
    public const string SectionName = "Hub";

    /// <summary><c>Embedded</c>: the silo runs in this process. <c>Client</c>: join a cluster of Live.Silo processes.</summary>
    [AllowedValues(HubModes.Embedded, HubModes.Client)]
    public string Mode { get; set; } = HubModes.Embedded;

    /// <summary>This server's id in the hub directory; empty picks a unique one at start.</summary>
    public string? HubId { get; set; }

    /// <summary><c>None</c> (one hub server) or <c>Redis</c> (SignalR's Redis backplane, for several).</summary>
    [AllowedValues(Backplanes.None, Backplanes.Redis)]
    public string Backplane { get; set; } = Backplanes.None;

    /// <summary>How often viewer counts are reported to rooms (only changed ones, plus a heartbeat).</summary>
    public TimeSpan ViewerReportInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Every count is re-reported this often, so a room forgets a dead hub's viewers in time.</summary>
    public TimeSpan ViewerHeartbeat { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 100)]
    public int MaxRoomsPerConnection { get; set; } = 10;

    /// <summary>
    /// Grain calls this hub server keeps in flight per flash sale for <c>BuyNow</c> (<see cref="Sales.PurchaseBatcher"/>):
    /// purchases that arrive while this many are in flight leave together, as one call, when one returns. A purchase
    /// that finds fewer in flight leaves at once, so a quiet sale adds no wait.
    /// </summary>
    [Range(1, 1000)]
    public int PurchaseCallsInFlight { get; set; } = 2;

    /// <summary>At most this many purchases in one such call.</summary>
    [Range(1, 10_000)]
    public int MaxPurchaseBatch { get; set; } = 256;

    /// <summary>Connections one user may hold open on one hub server.</summary>
    [Range(1, 1000)]
    public int MaxConnectionsPerUser { get; set; } = 5;

    /// <summary>
    /// Anonymous connections (no token: watching only) one client address may hold open on one hub server; 0 turns
    /// the cap off (load tests, whose many clients share the loopback address). Behind a proxy the address is the
    /// proxy's unless forwarded headers are enabled (docs/OPERATIONS.md).
    /// </summary>
    [Range(0, 100_000)]
    public int MaxAnonymousConnectionsPerAddress { get; set; } = 20;

    /// <summary>Largest hub message a client may send, in bytes.</summary>
    [Range(1024, 1024 * 1024)]
    public long MaxMessageSize { get; set; } = 32 * 1024;
}
