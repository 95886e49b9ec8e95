using System.ComponentModel.DataAnnotations;

namespace Live.Hub;

/// <summary>
/// Per-user limits, enforced by each hub server on its own (token buckets: a sustained rate and a burst). The hub's
/// calls go through <c>Realtime.UserRateLimiter</c>; the REST calls through ASP.NET Core's rate-limiting middleware,
/// one named policy per kind of write and one for every other call (<c>Api.RestRateLimits</c>).
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

    /// <summary>
    /// Every hub call, whatever its method and whether or not it is refused, per user (per connection for an anonymous
    /// one): the backstop under the per-kind buckets below, so that calls with no bucket of their own
    /// (<c>LeaveRoom</c>) and calls refused before theirs (bad input, a room not joined) are limited too. Above what
    /// the per-kind limits add up to (24 calls a second), so that it refuses only a client that loops.
    /// </summary>
    [Range(0.01, 100_000)]
    public double HubCallsPerSecond { get; set; } = 50;

    [Range(1, 100_000)]
    public int HubCallBurst { get; set; } = 100;

    [Range(0.01, 1000)]
    public double ChatPerSecond { get; set; } = 2;

    [Range(1, 1000)]
    public int ChatBurst { get; set; } = 5;

    [Range(0.01, 1000)]
    public double BuysPerSecond { get; set; } = 5;

    [Range(1, 1000)]
    public int BuyBurst { get; set; } = 10;

    [Range(0.01, 1000)]
    public double LikesPerSecond { get; set; } = 10;

    [Range(1, 1000)]
    public int LikeBurst { get; set; } = 20;

    [Range(0.01, 1000)]
    public double JoinsPerSecond { get; set; } = 2;

    [Range(1, 1000)]
    public int JoinBurst { get; set; } = 10;

    /// <summary>
    /// Anonymous <c>JoinRoom</c> and <c>ResumeRoom</c>, per client address, beside the per-connection bucket: opening
    /// connections costs no join, so without it a client that reconnects for each burst would join without bound.
    /// As generous as anonymous REST reads (a room's snapshot either way), for many viewers behind one address.
    /// </summary>
    [Range(0.01, 100_000)]
    public double AnonymousJoinsPerSecond { get; set; } = 100;

    [Range(1, 100_000)]
    public int AnonymousJoinBurst { get; set; } = 200;

    /// <summary>The hub's <c>AddToCart</c> and <c>AddToCartWithKey</c>, one bucket per user.</summary>
    [Range(0.01, 1000)]
    public double CartPerSecond { get; set; } = 5;

    [Range(1, 1000)]
    public int CartBurst { get; set; } = 10;

    /// <summary>REST cart writes and checkout (policy <c>cart-writes</c>).</summary>
    [Range(0.01, 10_000)]
    public double RestWritesPerSecond { get; set; } = 10;

    [Range(1, 10_000)]
    public int RestWriteBurst { get; set; } = 30;

    /// <summary><c>POST /api/products</c> (policy <c>product-writes</c>).</summary>
    [Range(0.01, 10_000)]
    public double ProductWritesPerSecond { get; set; } = 1;

    [Range(1, 10_000)]
    public int ProductWriteBurst { get; set; } = 20;

    /// <summary>Creating, starting and ending rooms, pinning and unpinning (policy <c>room-writes</c>).</summary>
    [Range(0.01, 10_000)]
    public double RoomWritesPerSecond { get; set; } = 2;

    [Range(1, 10_000)]
    public int RoomWriteBurst { get; set; } = 20;

    /// <summary>Starting and ending flash sales (policy <c>sale-writes</c>).</summary>
    [Range(0.01, 10_000)]
    public double SaleWritesPerSecond { get; set; } = 2;

    [Range(1, 10_000)]
    public int SaleWriteBurst { get; set; } = 20;

    /// <summary>Moderators, mutes, bans, deleted chat, slow mode, blocked words (policy <c>moderation-writes</c>).</summary>
    [Range(0.01, 10_000)]
    public double ModerationWritesPerSecond { get; set; } = 5;

    [Range(1, 10_000)]
    public int ModerationWriteBurst { get; set; } = 30;

    /// <summary>
    /// Every other REST call (policy <c>reads</c>: rooms, products, sales, cart, orders, moderation and seller reads),
    /// per signed-in user.
    /// </summary>
    [Range(0.01, 100_000)]
    public double ReadsPerSecond { get; set; } = 20;

    [Range(1, 100_000)]
    public int ReadBurst { get; set; } = 100;

    /// <summary>
    /// The same, per client address for anonymous callers: higher, since the viewers behind one address (a proxy, a
    /// campus, a mobile carrier's NAT) share it.
    /// </summary>
    [Range(0.01, 100_000)]
    public double AnonymousReadsPerSecond { get; set; } = 200;

    [Range(1, 100_000)]
    public int AnonymousReadBurst { get; set; } = 400;
}
