namespace Live.Hub.Delivery;

/// <summary>What an outbox needs of its connection: write one frame, measure one, close the connection.</summary>
public interface IOutboxConnection
{
    string ConnectionId { get; }

    /// <summary>Writes the frame; completes when the connection has taken it (its transport's buffer had room).</summary>
    ValueTask WriteAsync(OutboxFrame frame);

    /// <summary>The frame's size as written to this connection (in its protocol).</summary>
    long SizeOf(OutboxFrame frame);

    /// <summary>Closes the connection (it may reconnect and resume).</summary>
    void Abort();
}
