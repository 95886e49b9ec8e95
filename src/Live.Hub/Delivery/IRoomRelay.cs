namespace Live.Hub.Delivery;

/// <summary>
/// How a room event reaches every hub server's <see cref="LocalDelivery"/>: directly on one server
/// (<see cref="LocalRoomRelay"/>), or as one Redis publish that each hub server receives (<see cref="RedisRoomRelay"/>).
/// </summary>
public interface IRoomRelay
{
    Task SendAsync(string roomId, string method, object?[] args, CancellationToken cancellationToken);
}
