using System.Net.Sockets;
using Live.Contracts;
using Live.Contracts.Carts;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;
using Live.Hosting.Failover;

namespace Live.Hub.Tests.Failover;

public sealed class GrainCallRetryPolicyTests
{
    private readonly GrainCallRetryPolicy _policy = new(new GrainCallRetryOptions
    {
        Budget = TimeSpan.FromSeconds(8),
        AttemptTimeout = TimeSpan.FromSeconds(2),
        MaxInFlight = 3,
        FirstDelay = TimeSpan.FromMilliseconds(100),
        MaxDelay = TimeSpan.FromMilliseconds(500),
    });

    [Theory]
    [InlineData(typeof(IProductGrain), nameof(IProductGrain.GetAsync), true)] // a read
    [InlineData(typeof(ILiveRoomGrain), nameof(ILiveRoomGrain.JoinAsync), true)] // a read
    [InlineData(typeof(IFlashSaleGrain), nameof(IFlashSaleGrain.BuyNowAsync), true)] // its request id
    [InlineData(typeof(ICartGrain), nameof(ICartGrain.CheckoutAsync), true)] // its idempotency key
    [InlineData(typeof(IProductGrain), nameof(IProductGrain.CreateAsync), true)] // the id it creates
    [InlineData(typeof(ILiveRoomGrain), nameof(ILiveRoomGrain.CreateAsync), true)]
    [InlineData(typeof(ILiveRoomGrain), nameof(ILiveRoomGrain.SendChatAsync), true)] // the message id the hub gave it
    [InlineData(typeof(ILiveRoomGrain), nameof(ILiveRoomGrain.LikeAsync), true)] // the like id the hub gave it
    [InlineData(typeof(ILiveRoomGrain), nameof(ILiveRoomGrain.MuteAsync), true)] // a setting, not an increment
    [InlineData(typeof(ICartGrain), nameof(ICartGrain.AddItemAsync), true)] // the add id the hub gave it
    [InlineData(typeof(ILiveRoomGrain), nameof(ILiveRoomGrain.StartFlashSaleAsync), true)] // the sale id the hub gave it
    [InlineData(typeof(ILiveRoomGrain), nameof(ILiveRoomGrain.AnnounceAsync), false)] // a silo's own call, resent by its caller
    [InlineData(typeof(ICartGrain), nameof(ICartGrain.RemoveItemAsync), true)] // gone once is gone
    [InlineData(typeof(ILiveRoomGrain), nameof(ILiveRoomGrain.ReportViewersAsync), false)] // one-way: nothing to wait for
    public void OnlyReadsAndCallsThatCarryTheirOwnIdentityAreRetrySafe(Type grain, string method, bool safe) =>
        Assert.Equal(safe, GrainCallRetryPolicy.IsRetrySafe(grain.GetMethod(method)));

    /// <summary>
    /// The grain methods that are not retried across a silo's loss: each is called by grains only (never by a hub
    /// server for a viewer or a host), whose callers send again what matters (the room's outbox of announcements, the
    /// sale's outbox of orders), or is one-way. Everything a hub server calls is a read or retry-safe, so a viewer or
    /// a host never sees an error for a silo's loss; a new method must be put on one side or the other. The one
    /// exception is the sale's audit: a host's read that may take minutes, longer than the retries' budget, and is
    /// asked again by hand.
    /// </summary>
    private static readonly string[] SiloOnly =
    [
        "IFlashSaleGrain.AuditAsync", "IFlashSaleGrain.EndForRoomAsync", "IFlashSaleGrain.SetBuyerBannedAsync", "IFlashSaleGrain.StartAsync",
        "ILiveRoomGrain.AnnounceAsync", "ILiveRoomGrain.ProductChangedAsync", "ILiveRoomGrain.ReportViewersAsync",
        "ILiveRoomGrain.SaleChangedAsync", "IOrderBookGrain.AddAsync", "IProductGrain.OfferAsync",
        "IProductGrain.SetVerifiedAsync", "IProductGrain.SettleAsync", "IRoomDirectoryGrain.UpsertAsync", "IRoomEventObserver.OnRoomEventsAsync",
        "ISellerGrain.AddProductAsync",
    ];

    [Fact]
    public void EveryGrainMethodButTheSilosOwnIsRetrySafe()
    {
        var notRetried = typeof(ICartGrain).Assembly.GetTypes()
            .Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t))
            .SelectMany(t => t.GetMethods().Select(m => (Type: t, Method: m)))
            .Where(x => !GrainCallRetryPolicy.IsRetrySafe(x.Method))
            .Select(x => $"{x.Type.Name}.{x.Method.Name}")
            .Order(StringComparer.Ordinal)
            .ToArray();

        Assert.Equal(SiloOnly, notRetried);
    }

    public static TheoryData<Exception, bool> Failures() => new()
    {
        { new SiloUnavailableException("the target silo became unavailable"), true },
        { new GatewayTooBusyException(), true },
        { new TimeoutException("response did not arrive on time"), true },
        { new SocketException((int)SocketError.ConnectionRefused), true },
        { new Microsoft.AspNetCore.Connections.ConnectionResetException("reset by peer"), true },
        { new AggregateException(new SiloUnavailableException(), new TimeoutException()), true },
        { LiveException.Conflict("already exists"), false },
        { LiveException.NotFound("no such room"), false },
        { new InvalidOperationException("a bug"), false },
        { new AggregateException(new SiloUnavailableException(), new InvalidOperationException()), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void ASiloLossIsToldApartFromARefusalOrABug(Exception failure, bool siloLoss) =>
        Assert.Equal(siloLoss, GrainCallRetryPolicy.IsSiloLoss(failure));

    [Fact]
    public void PausesDoubleUpToTheirCapAndStopAtTheBudget()
    {
        var loss = new SiloUnavailableException();

        Assert.Equal(TimeSpan.FromMilliseconds(100), _policy.NextDelay(loss, 1, TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(200), _policy.NextDelay(loss, 2, TimeSpan.FromSeconds(1)));
        Assert.Equal(TimeSpan.FromMilliseconds(400), _policy.NextDelay(loss, 3, TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromMilliseconds(500), _policy.NextDelay(loss, 4, TimeSpan.FromSeconds(3)));
        Assert.Equal(TimeSpan.FromMilliseconds(500), _policy.NextDelay(loss, 40, TimeSpan.FromSeconds(3)));

        // The next attempt would start past the caller's time: give up.
        Assert.Null(_policy.NextDelay(loss, 5, TimeSpan.FromMilliseconds(7600)));
        Assert.Null(_policy.NextDelay(loss, 5, TimeSpan.FromSeconds(9)));
    }

    [Fact]
    public void ARefusalOrABugIsNeverRetried()
    {
        Assert.Null(_policy.NextDelay(LiveException.Forbidden("not your room"), 1, TimeSpan.Zero));
        Assert.Null(_policy.NextDelay(new InvalidOperationException(), 1, TimeSpan.Zero));
    }

    [Fact]
    public void AZeroBudgetTurnsRetryingOff() =>
        Assert.Null(new GrainCallRetryPolicy(new GrainCallRetryOptions { Budget = TimeSpan.Zero }).NextDelay(new SiloUnavailableException(), 1, TimeSpan.Zero));

    [Fact]
    public void AnotherAttemptGoesOutOnlyAfterTheAttemptTimeoutWithinTheBudgetAndTheInFlightCap()
    {
        Assert.False(_policy.SendAnother(TimeSpan.FromSeconds(1.9), TimeSpan.FromSeconds(1.9), inFlight: 1));
        Assert.True(_policy.SendAnother(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2), inFlight: 1));
        Assert.True(_policy.SendAnother(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), inFlight: 2));
        Assert.False(_policy.SendAnother(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(6), inFlight: 3));
        Assert.False(_policy.SendAnother(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8), inFlight: 1));
    }
}
