using System.Text.Json.Serialization;

namespace Live.Hub.Realtime;

/// <summary><c>{ roomId, seq }</c>.</summary>
public sealed record RoomRef(string RoomId)
{
    /// <summary>The room event's number (PROTOCOL v1.3), stamped as it is sent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seq { get; init; }
}

/// <summary><c>{ roomId, viewers, seq }</c>.</summary>
public sealed record ViewerCountUpdate(string RoomId, long Viewers)
{
    /// <summary>The room event's number (PROTOCOL v1.3), stamped as it is sent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seq { get; init; }
}

/// <summary><c>{ roomId, likes, seq }</c>.</summary>
public sealed record LikesUpdate(string RoomId, long Likes)
{
    /// <summary>The room event's number (PROTOCOL v1.3), stamped as it is sent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seq { get; init; }
}

/// <summary><c>{ roomId, messageId, seq }</c>.</summary>
public sealed record ChatDeletion(string RoomId, string MessageId)
{
    /// <summary>The room event's number (PROTOCOL v1.3), stamped as it is sent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seq { get; init; }
}

/// <summary><c>{ roomId, reason }</c>; reason <c>banned</c>. To one user, not the room: no seq.</summary>
public sealed record RoomRemoval(string RoomId, string Reason);
