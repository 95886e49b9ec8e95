using Microsoft.AspNetCore.SignalR;

namespace Live.Hub.Delivery;

/// <summary>A SignalR connection as an outbox sees it: frames are written pre-serialized, in its own protocol.</summary>
internal sealed class HubOutboxConnection(HubConnectionContext connection) : IOutboxConnection
{
    public string ConnectionId => connection.ConnectionId;

    public ValueTask WriteAsync(OutboxFrame frame) => connection.WriteAsync(frame.Message);

    public long SizeOf(OutboxFrame frame) => frame.Message.GetSerializedMessage(connection.Protocol).Length;

    public void Abort() => connection.Abort();
}
