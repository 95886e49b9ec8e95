namespace Live.Client;

/// <summary>The SignalR protocol a <see cref="LiveClient"/> speaks; both carry the same field names.</summary>
public enum LiveWireProtocol
{
    Json,
    MessagePack,
}
