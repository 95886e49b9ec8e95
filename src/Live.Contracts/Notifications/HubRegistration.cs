namespace Live.Contracts.Notifications;

/// <summary>
/// A hub server as the directory knows it. Hub servers that share a SignalR backplane share a
/// <see cref="Backplane"/> name: an event handed to any one of them reaches the viewers of all of them, so the
/// silo hands each event to exactly one hub per backplane. A hub without a backplane has a name of its own.
/// </summary>
[GenerateSerializer, Immutable, Alias("live.HubRegistration")]
public sealed record HubRegistration
{
    [Id(0)] public required string HubId { get; init; }
    [Id(1)] public required string Backplane { get; init; }
    [Id(2)] public required IRoomEventObserver Observer { get; init; }
    [Id(3)] public DateTimeOffset LastSeen { get; init; }
}
