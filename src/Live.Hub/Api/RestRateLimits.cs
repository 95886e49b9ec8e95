using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Live.Contracts;
using Live.Hub.Identity;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Live.Hub.Api;

/// <summary>
/// The REST calls' rate limits: ASP.NET Core's rate-limiting middleware with one named token-bucket policy per kind
/// of write (route groups declare theirs with <c>RequireRateLimiting</c>) and <see cref="Reads"/> for every other call
/// (declared on the <c>/api</c> group; an inner group's policy replaces it, the endpoint's nearest metadata winning),
/// partitioned by the token's subject (an anonymous caller by its client address), sized by
/// <see cref="RateLimitOptions"/>. A refusal is the protocol's 429 <c>rate_limited</c> problem.
/// </summary>
internal static class RestRateLimits
{
    public const string ProductWrites = "product-writes";
    public const string RoomWrites = "room-writes";
    public const string SaleWrites = "sale-writes";
    public const string ModerationWrites = "moderation-writes";
    public const string CartWrites = "cart-writes";
    public const string Reads = "reads";

    public static IServiceCollection AddLiveRestRateLimits(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>>((limiter, options) =>
        {
            var o = options.Value;
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => RejectAsync(context);
            Add(limiter, ProductWrites, o.ProductWritesPerSecond, o.ProductWriteBurst);
            Add(limiter, RoomWrites, o.RoomWritesPerSecond, o.RoomWriteBurst);
            Add(limiter, SaleWrites, o.SaleWritesPerSecond, o.SaleWriteBurst);
            Add(limiter, ModerationWrites, o.ModerationWritesPerSecond, o.ModerationWriteBurst);
            Add(limiter, CartWrites, o.RestWritesPerSecond, o.RestWriteBurst);
            limiter.AddPolicy(Reads, http => PartitionOf(http) is var partition && partition.StartsWith(UserPartition, StringComparison.Ordinal)
                ? Bucket(partition, o.ReadsPerSecond, o.ReadBurst)
                : Bucket(partition, o.AnonymousReadsPerSecond, o.AnonymousReadBurst));
        });
        return services;
    }

    private const string UserPartition = "user:";

    /// <summary>The partition: the token's subject, else the client's address (behind a proxy, the proxy's).</summary>
    internal static string PartitionOf(HttpContext http) =>
        http.User.Identity?.IsAuthenticated == true && http.User.FindFirstValue(LiveUser.SubjectClaim) is { Length: > 0 } userId
            ? UserPartition + userId
            : $"addr:{http.Connection.RemoteIpAddress}";

    private static void Add(RateLimiterOptions limiter, string policy, double perSecond, int burst) =>
        limiter.AddPolicy(policy, http => Bucket(PartitionOf(http), perSecond, burst));

    private static RateLimitPartition<string> Bucket(string partition, double perSecond, int burst)
    {
        // Refill every 100 ms (or slower for rates under 10/s) with the matching number of tokens, as the hub's limits do.
        var period = TimeSpan.FromSeconds(Math.Max(0.1, 1 / perSecond));
        var tokens = Math.Max(1, (int)Math.Round(perSecond * period.TotalSeconds));
        return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = burst,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    private static async ValueTask RejectAsync(OnRejectedContext context)
    {
        if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
        {
            context.HttpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        await LiveProblems.WriteAsync(context.HttpContext, ErrorCodes.RateLimited, "too many requests of this kind; slow down");
    }
}
