using System.ComponentModel.DataAnnotations;

namespace Live.Hub;

/// <summary>Per-user limits, enforced by the hub server (token buckets: a sustained rate and a burst).</summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "RateLimits";

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

    /// <summary>The hub's <c>AddToCart</c>, per user.</summary>
    [Range(0.01, 1000)]
    public double CartPerSecond { get; set; } = 5;

    [Range(1, 1000)]
    public int CartBurst { get; set; } = 10;

    [Range(0.01, 10_000)]
    public double RestWritesPerSecond { get; set; } = 10;

    [Range(1, 10_000)]
    public int RestWriteBurst { get; set; } = 30;
}
