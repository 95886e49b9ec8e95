using Live.Contracts;
using Live.Contracts.FlashSales;
using Live.Grains.FlashSales;
using Live.Grains.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Orleans.TestingHost;

namespace Live.Grains.Tests.FlashSales;

/// <summary>A sale stored whole by an earlier version becomes its ledger's first snapshot, with nothing to migrate.</summary>
[Collection(ClusterCollection.Name)]
public sealed class FlashSaleLegacyStateTests(ClusterFixture fixture)
{
    [Fact]
    public async Task ASaleStoredWholeIsReadAsTheLedgersSnapshotAndGoesOnFromThere()
    {
        var (_, roomId, hostId) = await fixture.Client.CreateLiveRoomAsync();
        var product = await fixture.Client.CreateProductAsync(owner: hostId, stock: 50);
        var saleId = Ids.New("sale");
        var now = fixture.Clock.GetUtcNow();
        var earlier = new PurchaseResult { Status = PurchaseStatus.Confirmed, OrderId = Ids.New("ord"), Quantity = 2, Remaining = 8 };
        var legacy = new FlashSaleState
        {
            Sale = FlashSaleRules.Open(saleId, roomId, product, Scenario.SaleOf(product, quantity: 10, perUserLimit: 2), now) with { Remaining = 8 },
            HostId = hostId,
            PerUser = { ["user_old"] = 2 },
            Requests = { [FlashSaleState.RequestKey("user_old", "old-1")] = earlier },
            AnsweredAt = { [FlashSaleState.RequestKey("user_old", "old-1")] = now },
        };
        var sale = fixture.Client.GetGrain<IFlashSaleGrain>(saleId);
        var storage = ((InProcessSiloHandle)fixture.Cluster.Silos[0]).SiloHost.Services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Live);
        await storage.WriteStateAsync(StateNames.FlashSale, sale.GetGrainId(), new GrainState<FlashSaleState>(legacy));

        var old = new Caller { UserId = "user_old", DisplayName = "Old" };
        Assert.Equal(earlier, (await sale.BuyNowAsync(old, 2, "old-1")).Result);
        Assert.Equal(PurchaseStatus.LimitExceeded, (await sale.BuyNowAsync(old, 1, "old-2")).Result.Status);
        var fresh = await sale.BuyNowAsync(Scenario.NewUser(), 1, "new-1");
        Assert.Equal((PurchaseStatus.Confirmed, 7), (fresh.Result.Status, fresh.Result.Remaining));

        // The old state is now the ledger's snapshot at position 0, and the new decisions follow it.
        var snapshot = await fixture.Ledgers.ReadSnapshotAsync(FlashSaleGrain.LedgerName, saleId);
        Assert.Equal(0, snapshot!.Value.Position);
        await fixture.Cluster.DeactivateAsync(sale);
        Assert.Equal(7, (await sale.GetAsync()).Remaining);
        Assert.Equal(fresh.Result, (await sale.BuyNowAsync(Scenario.NewUser() with { UserId = fresh.NewOrder!.UserId }, 1, "new-1")).Result);
        var decided = (await sale.ReadLedgerAsync(hostId, 0, 100)).Entries.Where(e => e.Kind == FlashSaleLedgerKinds.Decided);
        Assert.Equal(["old-2", "new-1"], decided.Select(e => e.RequestId));
    }
}
