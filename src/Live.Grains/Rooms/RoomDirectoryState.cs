using Live.Contracts.Rooms;

namespace Live.Grains.Rooms;

[GenerateSerializer, Alias("live.RoomDirectoryState")]
internal sealed class RoomDirectoryState
{
    [Id(0)] public Dictionary<string, Room> Rooms { get; set; } = [];
}
