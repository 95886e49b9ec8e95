namespace Live.Contracts.Rooms;

public static class RoomStatus
{
    public const string Scheduled = "scheduled";
    public const string Live = "live";
    public const string Ended = "ended";

    public static bool IsKnown(string? status) => status is Scheduled or Live or Ended;
}
