namespace Live.Client.Models;

/// <summary>The argument of <c>RemovedFromRoom</c> (to the removed user only, no <c>seq</c>); reason <c>banned</c>.</summary>
public sealed record RoomRemoval
{
    public string RoomId { get; init; } = "";

    public string Reason { get; init; } = "";
}
