namespace Live.Hub.Realtime;

/// <summary><c>{ roomId, reason }</c>; reason <c>banned</c>. To one user, not the room: no seq.</summary>
public sealed record RoomRemoval(string RoomId, string Reason);
