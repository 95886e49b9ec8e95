using System.Threading.RateLimiting;
using Live.Contracts;
using Microsoft.Extensions.Options;

namespace Live.Hub.Realtime;

/// <summary>
/// Per-user token buckets for every hub call (the backstop), chat, buys, likes, joins and adds to cart; past them the
/// call answers <c>rate_limited</c>.
/// </summary>
/// <remarks>
/// Built on System.Threading.RateLimiting's partitioned limiter, not hand-written buckets: it replenishes on its own
/// timer and drops a user's bucket once it has been full (idle) for a while, so memory follows active users only.
/// The limits are this hub server's: a user spread over several hub servers gets each server's allowance.
/// </remarks>
public sealed class UserRateLimiter : IDisposable
{
    private readonly PartitionedRateLimiter<string> _call;
    private readonly PartitionedRateLimiter<string> _chat;
    private readonly PartitionedRateLimiter<string> _buy;
    private readonly PartitionedRateLimiter<string> _like;
    private readonly PartitionedRateLimiter<string> _join;
    private readonly PartitionedRateLimiter<string> _anonymousJoin;
    private readonly PartitionedRateLimiter<string> _cart;

    public UserRateLimiter(IOptions<RateLimitOptions> options)
    {
        var o = options.Value;
        _call = Create(o.HubCallsPerSecond, o.HubCallBurst);
        _chat = Create(o.ChatPerSecond, o.ChatBurst);
        _buy = Create(o.BuysPerSecond, o.BuyBurst);
        _like = Create(o.LikesPerSecond, o.LikeBurst);
        _join = Create(o.JoinsPerSecond, o.JoinBurst);
        _anonymousJoin = Create(o.AnonymousJoinsPerSecond, o.AnonymousJoinBurst);
        _cart = Create(o.CartPerSecond, o.CartBurst);
    }

    /// <summary>Any hub call, per user (<c>u:</c> and the id) or per anonymous connection (<c>c:</c> and its id).</summary>
    public void Call(string key) => Take(_call, key, "hub");

    public void Chat(string userId) => Take(_chat, userId, "chat");

    public void Buy(string userId) => Take(_buy, userId, "buy");

    public void Like(string userId) => Take(_like, userId, "like");

    /// <summary>Joins, per user (or per connection for anonymous viewers).</summary>
    public void Join(string key) => Take(_join, key, "join");

    /// <summary>Anonymous joins, per client address (null when the transport gives none: the connection's bucket alone holds).</summary>
    public void AnonymousJoin(string? address)
    {
        if (address is not null)
        {
            Take(_anonymousJoin, address, "join");
        }
    }

    /// <summary>The hub's <c>AddToCart</c> and <c>AddToCartWithKey</c>, one bucket per user.</summary>
    public void Cart(string userId) => Take(_cart, userId, "add-to-cart");


    public void Dispose()
    {
        _call.Dispose();
        _chat.Dispose();
        _buy.Dispose();
        _like.Dispose();
        _join.Dispose();
        _anonymousJoin.Dispose();
        _cart.Dispose();
    }

    private static void Take(PartitionedRateLimiter<string> limiter, string userId, string what)
    {
        using var lease = limiter.AttemptAcquire(userId);
        if (!lease.IsAcquired)
        {
            throw LiveException.RateLimited($"too many {what} requests; slow down");
        }
    }

    private static PartitionedRateLimiter<string> Create(double perSecond, int burst)
    {
        // Refill every 100 ms (or slower for rates under 10/s) with the matching number of tokens.
        var period = TimeSpan.FromSeconds(Math.Max(0.1, 1 / perSecond));
        var tokens = Math.Max(1, (int)Math.Round(perSecond * period.TotalSeconds));
        return PartitionedRateLimiter.Create<string, string>(userId => RateLimitPartition.GetTokenBucketLimiter(userId, _ =>
            new TokenBucketRateLimiterOptions
            {
                TokenLimit = burst,
                TokensPerPeriod = tokens,
                ReplenishmentPeriod = period,
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
    }
}
