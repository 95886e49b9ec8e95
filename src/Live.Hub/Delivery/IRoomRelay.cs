namespace Live.Hub.Delivery;

/// <summary>
/// How a room event, or an event to one user, reaches every hub server's <see cref="LocalDelivery"/>: directly on one
/// server (<see cref="LocalRoomRelay"/>), or as one Redis publish that each hub server receives
/// (<see cref="RedisRoomRelay"/>).
/// </summary>
public interface IRoomRelay
{
    Task SendAsync(string roomId, string method, object?[] args, CancellationToken cancellationToken);

    /// <summary>An event to every connection of <paramref name="userId"/>, on whichever hub server it is.</summary>
    Task SendUserAsync(string userId, string method, object?[] args, CancellationToken cancellationToken);
}
