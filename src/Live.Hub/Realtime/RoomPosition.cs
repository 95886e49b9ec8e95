namespace Live.Hub.Realtime;

/// <summary>
/// <c>{ roomId, epoch, seq }</c>: the argument of <c>RoomHeartbeat</c> (PROTOCOL v1.5), where the room's stream stands.
/// <c>seq</c> is the newest event the room has sent, not a number of this event.
/// </summary>
public sealed record RoomPosition(string RoomId, string Epoch, long Seq);
