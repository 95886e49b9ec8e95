using Live.Contracts.Rooms;

namespace Live.Grains.Rooms;

/// <summary>What the room directory keeps: its one state would otherwise grow with every room ever made.</summary>
internal static class RoomDirectoryRules
{
    /// <summary>
    /// Keeps every live and scheduled room and the <paramref name="endedKept"/> most recently ended ones, dropping the
    /// rest (oldest end first). Scheduled rooms have their own bound, <see cref="DropStaleScheduled"/>.
    /// </summary>
    /// <returns>How many were dropped.</returns>
    public static int Trim(Dictionary<string, Room> rooms, int endedKept)
    {
        var ended = rooms.Values.Where(r => r.Status == RoomStatus.Ended).ToArray();
        if (ended.Length <= endedKept)
        {
            return 0;
        }

        var dropped = ended
            .OrderBy(r => r.EndedAt ?? r.StartedAt ?? r.CreatedAt)
            .ThenBy(r => r.Id, StringComparer.Ordinal)
            .Take(ended.Length - endedKept)
            .ToArray();
        foreach (var room in dropped)
        {
            rooms.Remove(room.Id);
        }

        return dropped.Length;
    }

    /// <summary>
    /// Drops the scheduled rooms created before <paramref name="createdBefore"/>, and the oldest past the newest
    /// <paramref name="kept"/>: a room a host created and never
    /// started would otherwise be listed for good (nothing else ever takes a scheduled room out), and every one made
    /// and forgotten would grow the directory's one state. The room itself stays, and so does its way back: starting
    /// it lists it again, as live.
    /// </summary>
    /// <returns>How many were dropped.</returns>
    public static int DropStaleScheduled(Dictionary<string, Room> rooms, DateTimeOffset createdBefore, int kept = int.MaxValue)
    {
        var scheduled = rooms.Values.Where(r => r.Status == RoomStatus.Scheduled).ToArray();
        var stale = scheduled.Where(r => r.CreatedAt < createdBefore).Select(r => r.Id).ToList();
        if (scheduled.Length - stale.Count > kept)
        {
            // Past the count too: the oldest of the rest go first.
            var fresh = scheduled.Where(r => r.CreatedAt >= createdBefore)
                .OrderBy(r => r.CreatedAt)
                .ThenBy(r => r.Id, StringComparer.Ordinal)
                .ToArray();
            stale.AddRange(fresh.Take(fresh.Length - kept).Select(r => r.Id));
        }

        foreach (var id in stale)
        {
            rooms.Remove(id);
        }

        return stale.Count;
    }
}
