namespace Live.Client.Models;

/// <summary>The argument of <c>ViewerCount</c> (latest-value).</summary>
public sealed record ViewerCountUpdate
{
    public string RoomId { get; init; } = "";

    public long Viewers { get; init; }

    public long? Seq { get; init; }
}
