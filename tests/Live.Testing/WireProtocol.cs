namespace Live.Testing;

/// <summary>The SignalR protocol a client speaks to the hub.</summary>
public enum WireProtocol
{
    Json,
    MessagePack,
}
