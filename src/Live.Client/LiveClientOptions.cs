using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.Client;

/// <summary>How <see cref="LiveClient.Create(LiveClientOptions)"/> connects.</summary>
public sealed class LiveClientOptions
{
    /// <summary>The server's base address (<c>http://127.0.0.1:5080</c>); the hub is at <see cref="HubPath"/> under it.</summary>
    public required Uri Server { get; init; }

    public string HubPath { get; init; } = LiveHubNames.Path;

    /// <summary>
    /// The bearer token, asked on every connect and reconnect (so a refreshed token is used); null or a null answer
    /// watches anonymously.
    /// </summary>
    public Func<Task<string?>>? AccessTokenProvider { get; init; }

    public LiveWireProtocol Protocol { get; init; } = LiveWireProtocol.Json;

    /// <summary>WebSockets without negotiation (the default, as the web viewer connects: no sticky sessions needed).</summary>
    public bool WebSocketsOnly { get; init; } = true;

    /// <summary>SignalR's automatic reconnect; <see cref="ForeverRetryPolicy"/> when null. Rooms resume after each reconnect.</summary>
    public IRetryPolicy? ReconnectPolicy { get; init; }

    /// <summary>
    /// How long <see cref="LiveClient.BuyNowAsync"/> and <see cref="LiveClient.AddToCartAsync"/> keep retrying their request
    /// id or key across a dropped connection or an <c>unavailable</c> answer.
    /// </summary>
    public TimeSpan PurchaseRetryWindow { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Anything else about the HTTP connection (headers, handlers, timeouts).</summary>
    public Action<HttpConnectionOptions>? ConfigureHttp { get; init; }

    /// <summary>Anything else about the hub connection (logging, keep-alive), before it is built.</summary>
    public Action<IHubConnectionBuilder>? ConfigureConnection { get; init; }
}
