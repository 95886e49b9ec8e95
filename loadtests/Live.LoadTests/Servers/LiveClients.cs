using System.Net.Http.Headers;
using System.Net.WebSockets;
using Live.Client;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR.Client;

namespace Live.LoadTests.Servers;

/// <summary>Real SignalR clients over WebSockets, as a viewer's app opens them, and the REST calls a host makes.</summary>
public sealed class LiveClients(IServerHost server, WireProtocol protocol) : IDisposable
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = server.BaseUri,
        Timeout = CallTimeout,
    };

    private int _next = -1;
    private int _movedHub;

    /// <summary>The hub on every hub server (one unless the server is a cluster); connections take them in turn.</summary>
    public IReadOnlyList<Uri> HubUris { get; } = [.. server.HubServers.Select(s => new Uri(s, ServerApps.HubPath(server.Kind)))];

    public Uri HubUri => HubUris[0];

    /// <summary>How many times a failing-over connection landed on another hub server than the one it was on.</summary>
    public int MovedToAnotherHub => Volatile.Read(ref _movedHub);

    /// <summary>
    /// A started connection; the caller registers handlers before it returns events (SignalR buffers none). With
    /// <paramref name="reconnect"/>, SignalR reconnects it by that policy (the resume scenario); without, a dropped
    /// connection stays dropped and is counted. It goes to hub server <paramref name="hub"/>, or to the next one in
    /// turn; with <paramref name="failover"/> (and several hub servers) each of its reconnects tries the hub server it
    /// was on and, when that one refuses, the next ones in order, as a load balancer sends a reconnect to a healthy one.
    /// </summary>
    public async Task<HubConnection> ConnectAsync(string? token, Action<HubConnection>? handlers, CancellationToken cancellationToken, IRetryPolicy? reconnect = null, int? hub = null, bool failover = false)
    {
        var index = hub ?? (int)((uint)Interlocked.Increment(ref _next) % (uint)HubUris.Count);
        var builder = WebSocketHub.Builder(HubUris[index], token);
        if (failover && HubUris.Count > 1)
        {
            builder.Services.Configure<HttpConnectionOptions>(o => o.WebSocketFactory = Failover(index, token));
        }

        if (reconnect is not null)
        {
            builder.WithAutomaticReconnect(reconnect);
        }

        // The bare hub is plain SignalR, C#-named maps and all: its clients speak SignalR's own MessagePack.
        var connection = (server.Kind == ServerKind.Bare && protocol == WireProtocol.MessagePack
            ? builder.AddMessagePackProtocol()
            : builder.WithProtocol(protocol)).Build();
        // A loaded two-core machine can starve keep-alives for seconds; a dropped connection is still counted.
        connection.ServerTimeout = TimeSpan.FromSeconds(120);
        connection.HandshakeTimeout = ConnectTimeout;
        handlers?.Invoke(connection);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(ConnectTimeout);
        try
        {
            await connection.StartAsync(cts.Token);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        return connection;
    }

    /// <summary>
    /// A started RedLive connection as Live.Client's typed client (rooms with events in order and once each). Not for
    /// the bare hub, whose clients stay plain SignalR. No automatic reconnect unless <paramref name="reconnect"/> is given (a dropped connection is counted, not
    /// hidden), and a purchase is not retried past its first answer's failure.
    /// </summary>
    public async Task<LiveClient> ConnectClientAsync(string? token, CancellationToken cancellationToken, IRetryPolicy? reconnect = null, int? hub = null, bool failover = false)
    {
        if (server.Kind == ServerKind.Bare)
        {
            throw new InvalidOperationException("the bare hub speaks plain SignalR: use ConnectAsync");
        }

        return new LiveClient(await ConnectAsync(token, null, cancellationToken, reconnect, hub, failover), ownsConnection: false, purchaseRetryWindow: TimeSpan.Zero);
    }

    /// <summary>
    /// A bearer token: signed by the tool with the server's key when it knows it (a cluster in production mode), else
    /// from RedLive's development token endpoint; the bare hub needs none.
    /// </summary>
    public async Task<string?> TokenAsync(string userId, string role, CancellationToken cancellationToken)
    {
        if (server.Kind == ServerKind.Bare)
        {
            return null;
        }

        if (server.Tokens is { } tokens)
        {
            return tokens.Issue(userId, role);
        }

        var response = await _http.PostAsJsonAsync("/api/dev/token", new { userId, displayName = userId, role }, cancellationToken);
        return (await ReadAsync<TokenAnswer>(response, cancellationToken)).Token;
    }

    public HttpClient As(string? token) => BearerClient.Create(server.BaseUri, token, new SocketsHttpHandler { MaxConnectionsPerServer = 4 }, CallTimeout);

    public async Task<Product> CreateProductAsync(HttpClient host, int stock, CancellationToken cancellationToken)
    {
        var response = await host.PostAsJsonAsync("/api/products", new { name = "Rose Lip Balm", brand = "Perfect Diary", price = 129.00m, stock, tags = new[] { "beauty" } }, cancellationToken);
        return await ReadAsync<Product>(response, cancellationToken);
    }

    public async Task<Room> CreateLiveRoomAsync(HttpClient host, string title, CancellationToken cancellationToken)
    {
        var room = await ReadAsync<Room>(await host.PostAsJsonAsync("/api/rooms", new { title, description = "load test" }, cancellationToken), cancellationToken);
        return await ReadAsync<Room>(await host.PostAsync($"/api/rooms/{room.Id}/start", null, cancellationToken), cancellationToken);
    }

    public async Task<FlashSale> StartSaleAsync(HttpClient host, string roomId, string productId, int quantity, int perUserLimit, CancellationToken cancellationToken, int durationSeconds = 600)
    {
        var response = await host.PostAsJsonAsync($"/api/rooms/{roomId}/flash-sales", new { productId, price = 59.90m, quantity, perUserLimit, durationSeconds }, cancellationToken);
        return await ReadAsync<FlashSale>(response, cancellationToken);
    }

    public async Task<FlashSale> GetSaleAsync(string saleId, CancellationToken cancellationToken) =>
        await ReadAsync<FlashSale>(await _http.GetAsync($"/api/flash-sales/{saleId}", cancellationToken), cancellationToken);

    public async Task<RoomSnapshot> GetRoomAsync(string roomId, CancellationToken cancellationToken) =>
        await ReadAsync<RoomSnapshot>(await _http.GetAsync($"/api/rooms/{roomId}", cancellationToken), cancellationToken);

    public async Task<Order[]> GetOrdersAsync(string token, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/orders");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await ReadAsync<Order[]>(await _http.SendAsync(request, cancellationToken), cancellationToken);
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// The WebSocket of a connection that fails over (SignalR's <c>WebSocketFactory</c>, called for the first connect
    /// and every reconnect): the hub server it was last on first, then the others in order; the first that accepts
    /// keeps it. Set up as SignalR's own factory does for HTTP/1.1 (the token as a bearer header).
    /// </summary>
    private Func<WebSocketConnectionContext, CancellationToken, ValueTask<WebSocket>> Failover(int first, string? token)
    {
        var current = first;
        return async (context, cancellationToken) =>
        {
            Exception? refused = null;
            for (var attempt = 0; attempt < HubUris.Count; attempt++)
            {
                var index = (Volatile.Read(ref current) + attempt) % HubUris.Count;
                var socket = new ClientWebSocket();
                if (token is not null)
                {
                    socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
                }

                try
                {
                    await socket.ConnectAsync(new UriBuilder(context.Uri) { Host = HubUris[index].Host, Port = HubUris[index].Port }.Uri, cancellationToken);
                    if (attempt > 0)
                    {
                        Interlocked.Increment(ref _movedHub);
                    }

                    Volatile.Write(ref current, index);
                    return socket;
                }
                catch (WebSocketException e)
                {
                    socket.Dispose();
                    refused = e;
                }
            }

            throw refused!;
        };
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            return (await response.Content.ReadFromJsonAsync<T>(cancellationToken))!;
        }
    }

    private sealed record TokenAnswer(string Token);
}
