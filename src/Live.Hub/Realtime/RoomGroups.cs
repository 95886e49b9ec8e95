namespace Live.Hub.Realtime;

/// <summary>One room is one SignalR group, so one room event is one group send (one Redis publish).</summary>
public static class RoomGroups
{
    private const string Prefix = "room:";

    public static string Name(string roomId) => string.Concat(Prefix, roomId);

    /// <summary>The room of a room group's name; false for any other group.</summary>
    public static bool TryParse(string groupName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? roomId)
    {
        roomId = groupName.StartsWith(Prefix, StringComparison.Ordinal) ? groupName[Prefix.Length..] : null;
        return roomId is not null;
    }
}
