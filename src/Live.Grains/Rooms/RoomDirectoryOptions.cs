using System.ComponentModel.DataAnnotations;

namespace Live.Grains.Rooms;

/// <summary>How much of the past the room directory (one grain, one stored state) keeps.</summary>
public sealed class RoomDirectoryOptions
{
    public const string SectionName = "RoomDirectory";

    /// <summary>
    /// The most recently ended rooms listed; older ended rooms leave the directory (the rooms themselves stay).
    /// Live rooms are always listed, scheduled ones for <see cref="ScheduledRoomsKeptFor"/>.
    /// </summary>
    [Range(0, 1_000_000)]
    public int EndedRoomsKept { get; set; } = 1000;

    /// <summary>
    /// How long a scheduled room that never started stays listed after it was created (the room itself stays; starting
    /// it lists it again).
    /// </summary>
    public TimeSpan ScheduledRoomsKeptFor { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// At most this many scheduled rooms are listed (the newest): within <see cref="ScheduledRoomsKeptFor"/> a host
    /// creating rooms without starting them (rate-limited, but for a week) would otherwise still grow the directory's
    /// one state, which every room's start and end rewrites.
    /// </summary>
    [Range(0, 1_000_000)]
    public int ScheduledRoomsKept { get; set; } = 10_000;
}
