using System.ComponentModel.DataAnnotations;

namespace Live.Grains.Rooms;

/// <summary>How much of the past the room directory (one grain, one stored state) keeps.</summary>
public sealed class RoomDirectoryOptions
{
    public const string SectionName = "RoomDirectory";

    /// <summary>
    /// The most recently ended rooms listed; older ended rooms leave the directory (the rooms themselves stay).
    /// Live and scheduled rooms are always listed.
    /// </summary>
    [Range(0, 1_000_000)]
    public int EndedRoomsKept { get; set; } = 1000;
}
