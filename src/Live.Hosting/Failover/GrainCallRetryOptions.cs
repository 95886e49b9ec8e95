using System.ComponentModel.DataAnnotations;

namespace Live.Hosting.Failover;

/// <summary>
/// How a hub server (an Orleans client) retries a grain call that failed because a silo died under it
/// (<c>Cluster:Retry:*</c>); see <see cref="GrainCallRetryPolicy"/>.
/// </summary>
public sealed class GrainCallRetryOptions
{
    public const string SectionName = LiveClusterOptions.SectionName + ":Retry";

    /// <summary>
    /// The caller's time: retries stop once this much has passed since the first attempt began, and the call answers
    /// <c>unavailable</c>. Longer than failure detection (about 2 s with the defaults), shorter than a client's patience.
    /// Zero turns retrying off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan Budget { get; set; } = TimeSpan.FromSeconds(8);

    /// <summary>
    /// How long one attempt of a retry-safe call may go unanswered before another is sent alongside it (the first
    /// still counts if it answers first). A call in flight on a connection to a silo that was killed gets no answer at
    /// all until <see cref="LiveClusterOptions.ResponseTimeout"/>; this is what cuts that wait short.
    /// </summary>
    /// <remarks>
    /// Kept well above a busy rush's call time: every attempt sent because the first was merely slow adds load where
    /// the cluster is already loaded. The usual trigger is a lost gateway (<see cref="GatewayLoss"/>) or a failure.
    /// </remarks>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a call that is not retry-safe, in flight when this client lost a gateway, may still wait for its answer
    /// before it fails with <c>unavailable</c>. Its answer may never come (it may have gone through the lost gateway),
    /// and SignalR runs a connection's calls one at a time, so it holds up that viewer's next calls meanwhile: short,
    /// but above a loaded host's usual call time, since a call that did go through a live gateway and is failed here
    /// may still have been done (a chat message then appears although its sender was told <c>unavailable</c>).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:01:00")]
    public TimeSpan LostGatewayGrace { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>At most this many attempts of one call in flight at once (so a slow call costs at most twice).</summary>
    [Range(1, 10)]
    public int MaxInFlight { get; set; } = 2;

    /// <summary>The pause before the first retry; each further pause doubles, up to <see cref="MaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan FirstDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    [Range(typeof(TimeSpan), "00:00:00", "00:00:10")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}
