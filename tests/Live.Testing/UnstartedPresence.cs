using Live.Hub;
using Live.Hub.Realtime;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Live.Testing;

/// <summary>
/// A hub server's <see cref="RoomPresence"/> for unit tests of the hub's handlers: only counted into. It has no grain
/// factory behind it, and its background loop (the only part that calls grains) is never started.
/// </summary>
public static class UnstartedPresence
{
    public static RoomPresence Create(IOptions<LiveHubOptions>? options = null) =>
        new(null!, new HubIdentity("hub-test", "test"), options ?? Options.Create(new LiveHubOptions()), TimeProvider.System, NullLogger<RoomPresence>.Instance);
}
