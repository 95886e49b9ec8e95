using Live.Contracts;
using Live.Contracts.Rooms;

namespace Live.Hub.Rooms;

/// <summary>The room grain behind a REST path id, after checking the id is well formed.</summary>
internal static class RoomGrains
{
    public static ILiveRoomGrain Room(this IGrainFactory grains, string roomId)
    {
        Ids.Require(roomId, "roomId");
        return grains.GetGrainByKey<ILiveRoomGrain>(roomId);
    }
}
