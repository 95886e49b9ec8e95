using System.Text.Json.Serialization;

namespace Live.Hub.Realtime;

/// <summary><c>{ roomId, seq }</c>.</summary>
public sealed record RoomRef(string RoomId)
{
    /// <summary>The room event's number (PROTOCOL v1.3), stamped as it is sent.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? Seq { get; init; }
}
