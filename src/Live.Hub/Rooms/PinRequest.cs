namespace Live.Hub.Rooms;

/// <summary><c>POST /api/rooms/{roomId}/pin</c>'s body.</summary>
public sealed record PinRequest(string? ProductId);
