namespace Live.Hub;

/// <summary>The values of <see cref="LiveHubOptions.Mode"/>.</summary>
public static class HubModes
{
    public const string Embedded = "Embedded";
    public const string Client = "Client";
}
