using Live.Contracts.Rooms;

namespace Live.Grains.Rooms;

/// <summary>What the room directory keeps: its one state would otherwise grow with every room ever made.</summary>
internal static class RoomDirectoryRules
{
    /// <summary>
    /// Keeps every live and scheduled room and the <paramref name="endedKept"/> most recently ended ones, dropping the
    /// rest (oldest end first).
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
}
