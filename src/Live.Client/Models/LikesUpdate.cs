namespace Live.Client.Models;

/// <summary>The argument of <c>LikesUpdated</c> (latest-value): the room's like total.</summary>
public sealed record LikesUpdate
{
    public string RoomId { get; init; } = "";

    public long Likes { get; init; }

    public long? Seq { get; init; }
}
