using Live.Contracts;
using Live.Contracts.Catalog;
using Live.Contracts.Sellers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Live.Grains.Sellers;

/// <summary>
/// The seller's record and the reach of a licence change: the decision is written first, then pushed to the seller's
/// products of that brand. A push that fails leaves the licence decided and the call failed; repeating the call
/// (it is idempotent) pushes again.
/// </summary>
internal sealed partial class SellerGrain(
    [PersistentState(StateNames.Seller, StorageNames.Live)] IPersistentState<SellerState> state,
    IOptions<SellerOptions> options,
    TimeProvider time,
    ILogger<SellerGrain> logger) : Grain, ISellerGrain, IIncomingGrainCallFilter
{
    private StateWriter? _writer;

    // Every write goes through it: after a failed write this activation answers nothing and is replaced.
    private StateWriter Writer => _writer ??= new StateWriter(ct => state.WriteStateAsync(ct), DeactivateOnIdle, $"seller {HostId}");

    // Built at activation: the stored state is read after construction and before activation.
    private SellerRules _rules = null!;

    private string HostId => this.GetPrimaryKeyString();

    /// <summary>How often a full seller looks for recorded products that never came to exist (each look asks every one).</summary>
    internal static readonly TimeSpan FullRecheckInterval = TimeSpan.FromMinutes(1);

    // Products asked at a time by that look, how long one may take to answer (no answer: kept), and how long the whole
    // look may take (it runs in the turn of the creation that found the seller full, which waits for it): what it has
    // not asked by then waits for the next look.
    private const int RecheckBatch = 64;
    private static readonly TimeSpan RecheckAnswer = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan RecheckBudget = TimeSpan.FromSeconds(5);

    // When this activation last looked (none yet: the first full add looks at once).
    private DateTimeOffset? _recheckedAt;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _rules = new SellerRules(state.State, options.Value);
        return Task.CompletedTask;
    }

    /// <summary>A host id with no licence and no product keeps no activation (any id may be asked about).</summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        Writer.ThrowIfBroken();
        return UnknownIds.InvokeAsync(context, () => _rules.IsEmpty, DeactivateOnIdle);
    }

    Task<Seller> ISellerGrain.GetAsync() => Task.FromResult(_rules.View(HostId));

    async Task<Seller> ISellerGrain.LicenseAsync(string brand)
    {
        var licensed = SellerRules.Brand(brand);
        if (_rules.License(licensed))
        {
            await Writer.WriteAsync();
            LogLicensed(logger, HostId, licensed);
        }

        await PushBadgeAsync(licensed, verified: true);
        return _rules.View(HostId);
    }

    async Task<Seller> ISellerGrain.RevokeAsync(string brand)
    {
        var revoked = SellerRules.Brand(brand);
        if (_rules.Revoke(revoked))
        {
            await Writer.WriteAsync();
            LogRevoked(logger, HostId, revoked);
        }

        await PushBadgeAsync(revoked, verified: false);
        return _rules.View(HostId);
    }

    async Task<bool> ISellerGrain.AddProductAsync(string productId, string brand)
    {
        if (_rules.IsFullFor(productId))
        {
            await ForgetProductsNeverCreatedAsync();
        }

        if (_rules.AddProduct(productId, brand))
        {
            await Writer.WriteAsync();
        }

        return _rules.IsLicensed(brand);
    }

    /// <summary>
    /// The seller records a product before the product writes itself, so a creation whose write failed (storage out of
    /// reach, a dying silo) leaves an id that counts against <see cref="SellerOptions.MaxProducts"/> but is no product.
    /// When the seller is full, and at most once per <see cref="FullRecheckInterval"/>, it asks each recorded product
    /// whether it exists and forgets those that answer no at two looks, the interval apart (<see cref="SellerRules.MissingFor"/>:
    /// a creation whose write timed out may land after it answered). A product whose write is under way answers yes,
    /// and one that cannot answer (its silo, its storage) is kept: only a definite no, twice, frees a place.
    /// </summary>
    private async Task ForgetProductsNeverCreatedAsync()
    {
        var now = time.GetUtcNow();
        if (_recheckedAt is { } last && now - last < FullRecheckInterval)
        {
            return;
        }

        _recheckedAt = now;
        var started = time.GetTimestamp();
        var asked = new List<string>();
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var batch in _rules.ProductIds.Chunk(RecheckBatch))
        {
            if (time.GetElapsedTime(started) >= RecheckBudget)
            {
                break;
            }

            asked.AddRange(batch);

            var exists = await Task.WhenAll(batch.Select(async id =>
            {
                try
                {
                    return await GrainFactory.GetGrainByKey<IProductGrain>(id).ExistsAsync().WaitAsync(RecheckAnswer, time);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    return true;
                }
            }));
            missing.UnionWith(batch.Where((_, i) => !exists[i]));
        }

        var forget = _rules.MissingFor(asked, missing, now, FullRecheckInterval);
        if (_rules.Forget(forget))
        {
            await Writer.WriteAsync();
            LogForgotten(logger, HostId, forget.Count);
        }
    }

    private async Task PushBadgeAsync(string brand, bool verified)
    {
        var products = _rules.ProductsOf(brand);
        if (products.Count == 0)
        {
            return;
        }

        var missing = new List<string>();
        await Task.WhenAll(products.Select(async id =>
        {
            try
            {
                await GrainFactory.GetGrainByKey<IProductGrain>(id).SetVerifiedAsync(verified);
            }
            catch (LiveException ex) when (ex.Code == ErrorCodes.NotFound)
            {
                missing.Add(id);
            }
        }));

        // As the full seller's look: forgotten only once not found twice, the interval apart.
        if (_rules.Forget(_rules.MissingFor(products, missing, time.GetUtcNow(), FullRecheckInterval)))
        {
            await Writer.WriteAsync();
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Seller {HostId} licensed for brand {Brand}")]
    private static partial void LogLicensed(ILogger logger, string hostId, string brand);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Seller {HostId} was full and forgot {Count} recorded products that were never created (their creation's write failed)")]
    private static partial void LogForgotten(ILogger logger, string hostId, int count);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Seller {HostId} no longer licensed for brand {Brand}")]
    private static partial void LogRevoked(ILogger logger, string hostId, string brand);
}
