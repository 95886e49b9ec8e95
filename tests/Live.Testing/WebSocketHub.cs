using Live.Client;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Testing;

/// <summary>How the tests and the load tool connect to a hub (tests/Live.Testing, referenced by each of them).</summary>
public static class WebSocketHub
{
    /// <summary>
    /// A connection builder for <paramref name="hubUri"/> over WebSockets only, skipping negotiation (as the web viewer
    /// does), sending <paramref name="token"/> when there is one. Callers add protocols, timeouts and reconnects.
    /// </summary>
    public static IHubConnectionBuilder Builder(Uri hubUri, string? token) =>
        new HubConnectionBuilder().WithUrl(hubUri, o =>
        {
            o.Transports = HttpTransportType.WebSockets;
            o.SkipNegotiation = true;
            if (token is not null)
            {
                o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            }
        });

    /// <summary>
    /// Adds <paramref name="protocol"/> the way RedLive's hub speaks it: JSON is SignalR's default; MessagePack is
    /// the protocol with RedLive's JSON field names (Live.Client), not SignalR's C#-named contractless maps.
    /// </summary>
    public static IHubConnectionBuilder WithProtocol(this IHubConnectionBuilder builder, WireProtocol protocol) =>
        protocol == WireProtocol.MessagePack ? builder.AddLiveMessagePackProtocol() : builder;
}
