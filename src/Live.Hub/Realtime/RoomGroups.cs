namespace Live.Hub.Realtime;

/// <summary>One room is one SignalR group, so one room event is one group send (one Redis publish).</summary>
public static class RoomGroups
{
    public static string Name(string roomId) => string.Concat("room:", roomId);
}
