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
    ILogger<SellerGrain> logger) : Grain, ISellerGrain, IIncomingGrainCallFilter
{
    private StateWriter? _writer;

    // Every write goes through it: after a failed write this activation answers nothing and is replaced.
    private StateWriter Writer => _writer ??= new StateWriter(ct => state.WriteStateAsync(ct), DeactivateOnIdle, $"seller {HostId}");

    // Built at activation: the stored state is read after construction and before activation.
    private SellerRules _rules = null!;

    private string HostId => this.GetPrimaryKeyString();

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
        if (_rules.AddProduct(productId, brand))
        {
            await Writer.WriteAsync();
        }

        return _rules.IsLicensed(brand);
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

        if (_rules.Forget(missing))
        {
            await Writer.WriteAsync();
        }
    }

    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Seller {HostId} licensed for brand {Brand}")]
    private static partial void LogLicensed(ILogger logger, string hostId, string brand);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Seller {HostId} no longer licensed for brand {Brand}")]
    private static partial void LogRevoked(ILogger logger, string hostId, string brand);
}
