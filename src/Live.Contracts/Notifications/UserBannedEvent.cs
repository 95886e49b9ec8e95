namespace Live.Contracts.Notifications;

[GenerateSerializer, Immutable, Alias("live.UserBannedEvent")]
public sealed record UserBannedEvent : RoomEvent
{
    [Id(0)] public required string UserId { get; init; }

    public override bool ForEveryHub => true;

    public override bool IsSequenced => false;
}
