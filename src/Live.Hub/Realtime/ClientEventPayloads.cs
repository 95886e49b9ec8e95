namespace Live.Hub.Realtime;

/// <summary><c>{ roomId }</c>.</summary>
public sealed record RoomRef(string RoomId);

/// <summary><c>{ roomId, viewers }</c>.</summary>
public sealed record ViewerCountUpdate(string RoomId, long Viewers);

/// <summary><c>{ roomId, likes }</c>.</summary>
public sealed record LikesUpdate(string RoomId, long Likes);

/// <summary><c>{ roomId, messageId }</c>.</summary>
public sealed record ChatDeletion(string RoomId, string MessageId);

/// <summary><c>{ roomId, reason }</c>; reason <c>banned</c>.</summary>
public sealed record RoomRemoval(string RoomId, string Reason);
