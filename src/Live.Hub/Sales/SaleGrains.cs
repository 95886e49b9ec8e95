using Live.Contracts;
using Live.Contracts.FlashSales;

namespace Live.Hub.Sales;

/// <summary>The flash-sale grain behind a REST path id, after checking the id is well formed.</summary>
internal static class SaleGrains
{
    public static IFlashSaleGrain Sale(this IGrainFactory grains, string saleId)
    {
        Ids.Require(saleId, "saleId");
        return grains.GetGrainByKey<IFlashSaleGrain>(saleId);
    }
}
