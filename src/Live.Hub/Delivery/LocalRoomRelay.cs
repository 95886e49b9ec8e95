namespace Live.Hub.Delivery;

/// <summary>
/// One hub server (no backplane, the embedded default): room events go straight to its own viewers' delivery
/// (<see cref="LocalDelivery.Post"/>), and are handed on once queued there: if this process dies, its viewers'
/// connections die with it, and they resume on the server they reconnect to.
/// </summary>
internal sealed class LocalRoomRelay(LocalDelivery delivery) : IRoomRelay
{
    public Task SendAsync(string roomId, string method, object?[] args, CancellationToken cancellationToken)
    {
        delivery.Post(roomId, method, args);
        return Task.CompletedTask;
    }

    public Task SendUserAsync(string userId, string method, object?[] args, CancellationToken cancellationToken)
    {
        delivery.ToUser(userId, method, args);
        return Task.CompletedTask;
    }
}
