using Live.Contracts;
using Live.Contracts.FlashSales;
using Live.Contracts.Rooms;

namespace Live.Hub.Api;

/// <summary>The grain behind a REST path id, after checking the id is well formed.</summary>
internal static class ApiGrains
{
    public static ILiveRoomGrain Room(this IGrainFactory grains, string roomId)
    {
        Ids.Require(roomId, "roomId");
        return grains.GetGrain<ILiveRoomGrain>(roomId);
    }

    public static IFlashSaleGrain Sale(this IGrainFactory grains, string saleId)
    {
        Ids.Require(saleId, "saleId");
        return grains.GetGrain<IFlashSaleGrain>(saleId);
    }
}
