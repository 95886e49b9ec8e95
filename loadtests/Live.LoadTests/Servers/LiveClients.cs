using System.Net.Http.Headers;
using Live.Client;
using Live.Contracts.Catalog;
using Live.Contracts.FlashSales;
using Live.Contracts.Orders;
using Live.Contracts.Rooms;
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

    public Uri HubUri { get; } = new(server.BaseUri, ServerApps.HubPath(server.Kind));

    /// <summary>
    /// A started connection; the caller registers handlers before it returns events (SignalR buffers none). With
    /// <paramref name="reconnect"/>, SignalR reconnects it by that policy (the resume scenario); without, a dropped
    /// connection stays dropped and is counted.
    /// </summary>
    public async Task<HubConnection> ConnectAsync(string? token, Action<HubConnection>? handlers, CancellationToken cancellationToken, IRetryPolicy? reconnect = null)
    {
        var builder = WebSocketHub.Builder(HubUri, token);
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
    public async Task<LiveClient> ConnectClientAsync(string? token, CancellationToken cancellationToken, IRetryPolicy? reconnect = null)
    {
        if (server.Kind == ServerKind.Bare)
        {
            throw new InvalidOperationException("the bare hub speaks plain SignalR: use ConnectAsync");
        }

        return new LiveClient(await ConnectAsync(token, null, cancellationToken, reconnect), ownsConnection: false, purchaseRetryWindow: TimeSpan.Zero);
    }

    /// <summary>A bearer token: RedLive's development token endpoint; the bare hub needs none.</summary>
    public async Task<string?> TokenAsync(string userId, string role, CancellationToken cancellationToken)
    {
        if (server.Kind == ServerKind.Bare)
        {
            return null;
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

    public async Task<FlashSale> StartSaleAsync(HttpClient host, string roomId, string productId, int quantity, int perUserLimit, CancellationToken cancellationToken)
    {
        var response = await host.PostAsJsonAsync($"/api/rooms/{roomId}/flash-sales", new { productId, price = 59.90m, quantity, perUserLimit, durationSeconds = 600 }, cancellationToken);
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
