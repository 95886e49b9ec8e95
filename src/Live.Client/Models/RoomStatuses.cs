namespace Live.Client.Models;

/// <summary>The values of <see cref="Room.Status"/>.</summary>
public static class RoomStatuses
{
    public const string Scheduled = "scheduled";
    public const string Live = "live";
    public const string Ended = "ended";
}
