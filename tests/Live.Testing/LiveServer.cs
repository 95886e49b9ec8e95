using Live.Client;
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
using Microsoft.Extensions.Options;

namespace Live.Testing;

/// <summary>
/// A real RedLive hub server in its embedded mode (silo in process) on a free Kestrel port, built exactly as
/// Program.cs builds it, for real HTTP and real SignalR clients over WebSockets. By default in the Development
/// environment, as the README's run command starts it: appsettings.Development.json gives it the development key and
/// <c>POST /api/dev/token</c> (the web viewer's and the host console's sign-in); tests of production settings pass
/// another environment and their own key.
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

    /// <param name="settings">Configuration over appsettings.json (and appsettings.{environment}.json).</param>
    /// <param name="configure">Test-only additions to the builder before it is built (a fault injector, say).</param>
    /// <param name="environment">The hosting environment; Development when null.</param>
    public static async Task<LiveServer> StartAsync(
        IDictionary<string, string?>? settings = null, Action<WebApplicationBuilder>? configure = null, string? environment = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            ContentRootPath = Repo.HubProject,
            EnvironmentName = environment ?? Environments.Development,
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

    /// <summary>
    /// A token signed with the server's key, as the operator's own issuer would make it, valid for
    /// <paramref name="lifetime"/> (the server's <c>Auth:DevTokenLifetime</c> when null).
    /// </summary>
    public string Token(string userId, string role = "viewer", string? displayName = null, TimeSpan? lifetime = null)
    {
        var issuer = Services.GetRequiredService<TokenIssuer>();
        if (lifetime is { } valid)
        {
            var settings = Services.GetRequiredService<IOptions<LiveAuthOptions>>().Value;
            issuer = new TokenIssuer(
                Options.Create(new LiveAuthOptions { SigningKey = settings.SigningKey, Issuer = settings.Issuer, Audience = settings.Audience, DevTokenLifetime = valid }),
                TimeProvider.System);
        }

        return issuer.Issue(userId, displayName ?? userId, role);
    }

    /// <summary>A REST client of this server sending <paramref name="token"/> (none when null).</summary>
    public HttpClient Client(string? token) => BearerClient.Create(BaseUri, token);

    /// <summary>A started SignalR connection over WebSockets only.</summary>
    public async Task<HubConnection> ConnectAsync(string? token = null, WireProtocol protocol = WireProtocol.Json)
    {
        var connection = WebSocketHub.Builder(new Uri(BaseUri, "/hubs/live"), token).WithProtocol(protocol).Build();
        await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));
        return connection;
    }

    /// <summary>
    /// A started typed client (Live.Client's <see cref="LiveClient"/>) over WebSockets only, which reconnects on its
    /// own every quarter second (a test's outage is short) and resumes its rooms.
    /// </summary>
    public async Task<LiveClient> ConnectClientAsync(string? token = null, WireProtocol protocol = WireProtocol.Json)
    {
        var connection = WebSocketHub.Builder(new Uri(BaseUri, LiveHubNames.Path), token)
            .WithProtocol(protocol)
            .WithAutomaticReconnect(new QuickReconnect())
            .Build();
        var client = new LiveClient(connection);
        await client.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));
        return client;
    }

    /// <summary>
    /// Connects (WebSockets, JSON) expecting the server to refuse the connection, and answers the reason the client
    /// was given: the error it closed the connection with, or the failure of the start itself.
    /// </summary>
    public async Task<string> RefusedConnectionAsync(string? token = null)
    {
        await using var connection = WebSocketHub.Builder(new Uri(BaseUri, "/hubs/live"), token).Build();
        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error =>
        {
            closed.TrySetResult(error?.Message ?? "closed without an error");
            return Task.CompletedTask;
        };
        try
        {
            await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (Exception ex) when (ex is not TimeoutException)
        {
            closed.TrySetResult(ex.Message);
        }

        try
        {
            return await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("the server did not close a connection it should have refused within 15 s");
        }
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
