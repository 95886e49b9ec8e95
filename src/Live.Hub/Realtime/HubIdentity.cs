namespace Live.Hub.Realtime;

/// <summary>This hub server's identity in the hub directory and its backplane's name.</summary>
public sealed class HubIdentity(string hubId, string backplane)
{
    public string HubId { get; } = hubId;

    /// <summary>Hub servers with the same name share a SignalR backplane; see <c>HubRegistration</c>.</summary>
    public string Backplane { get; } = backplane;
}
