namespace Live.Contracts.Notifications;

/// <summary>The live hub servers. Hubs refresh their entry periodically; entries not refreshed expire.</summary>
[Alias("live.IHubDirectoryGrain")]
public interface IHubDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Register"), RetrySafe]
    Task RegisterAsync(HubRegistration registration);

    [Alias("Unregister"), RetrySafe]
    Task UnregisterAsync(string hubId);

    [Alias("GetHubs"), ReadOnly]
    Task<IReadOnlyList<HubRegistration>> GetHubsAsync();
}
