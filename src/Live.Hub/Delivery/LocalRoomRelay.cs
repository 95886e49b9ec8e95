namespace Live.Hub.Delivery;

/// <summary>One hub server (no backplane, the embedded default): room events go straight to its own outboxes.</summary>
internal sealed class LocalRoomRelay(LocalDelivery delivery) : IRoomRelay
{
    public Task SendAsync(string roomId, string method, object?[] args, CancellationToken cancellationToken)
    {
        delivery.ToRoom(roomId, method, args);
        return Task.CompletedTask;
    }

    public Task SendUserAsync(string userId, string method, object?[] args, CancellationToken cancellationToken)
    {
        delivery.ToUser(userId, method, args);
        return Task.CompletedTask;
    }
}
