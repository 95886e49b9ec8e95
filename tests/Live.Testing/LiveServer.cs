using Live.Hub;
using Live.Hub.Identity;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Live.Testing;

/// <summary>
/// A real RedLive hub server in its embedded mode (silo in process) on a free Kestrel port, built exactly as
/// Program.cs builds it, for real HTTP and real SignalR clients over WebSockets.
/// </summary>
public sealed class LiveServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LiveServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
        Http = BearerClient.Create(baseUri, token: null);
    }

    public Uri BaseUri { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => _app.Services;

    /// <param name="settings">Configuration over appsettings.json.</param>
    /// <param name="configure">Test-only additions to the builder before it is built (a fault injector, say).</param>
    public static async Task<LiveServer> StartAsync(IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = Repo.HubProject,
            EnvironmentName = Environments.Production,
        });
        var port = LoopbackPorts.Pick();
        var config = new Dictionary<string, string?>
        {
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["Cluster:SiloPort"] = LoopbackPorts.Pick().ToString(),
            ["Cluster:GatewayPort"] = LoopbackPorts.Pick().ToString(),
            ["Cluster:ClusterId"] = $"test-{Guid.NewGuid():N}",
            // The in-process server is about the hub's logic: memory storage, so that no test leaves a database in
            // the hub's content root. Durability is tested on the real process (tests/Live.Cluster.Tests).
            ["Cluster:Storage"] = "Memory",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        builder.AddLiveHub();
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapLiveHub();
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var server = new LiveServer(app, new Uri(address));
        await server.WaitHealthyAsync();
        return server;
    }

    /// <summary>A token signed with the server's key, as the operator's own issuer would make it.</summary>
    public string Token(string userId, string role = "viewer", string? displayName = null) =>
        Services.GetRequiredService<TokenIssuer>().Issue(userId, displayName ?? userId, role);

    /// <summary>A REST client of this server sending <paramref name="token"/> (none when null).</summary>
    public HttpClient Client(string? token) => BearerClient.Create(BaseUri, token);

    /// <summary>A started SignalR connection over WebSockets only.</summary>
    public async Task<HubConnection> ConnectAsync(string? token = null, WireProtocol protocol = WireProtocol.Json)
    {
        var builder = WebSocketHub.Builder(new Uri(BaseUri, "/hubs/live"), token);
        if (protocol == WireProtocol.MessagePack)
        {
            builder.AddMessagePackProtocol();
        }

        var connection = builder.Build();
        await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        try
        {
            await _app.StopAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            await _app.DisposeAsync();
        }
    }

    private Task WaitHealthyAsync() =>
        Eventually.GetAsync(
            $"server at {BaseUri} healthy", async () => (await Http.GetAsync("/health")).StatusCode, status => (int)status is >= 200 and < 300, TimeSpan.FromSeconds(30));
}
