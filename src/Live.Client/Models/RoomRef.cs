namespace Live.Client.Models;

/// <summary>The argument of <c>ProductUnpinned</c>.</summary>
public sealed record RoomRef
{
    public string RoomId { get; init; } = "";

    public long? Seq { get; init; }
}
