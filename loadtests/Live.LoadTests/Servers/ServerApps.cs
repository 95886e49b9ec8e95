using Live.Hub;
using Live.Hub.Identity;

namespace Live.LoadTests.Servers;

/// <summary>Builds the two servers the tool measures, the same way in this process and in a <c>serve</c> child.</summary>
public static class ServerApps
{
    public const string MemoryPath = "/_loadtest/memory";

    public static WebApplication Build(ServerKind kind, int port, IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,

            // RedLive's virtual users get their tokens from POST /api/dev/token, which only the Development
            // environment serves (with the development key, set below as well so the run does not depend on
            // appsettings.Development.json having been copied next to the tool).
            EnvironmentName = kind == ServerKind.RedLive ? Environments.Development : Environments.Production,
        });
        var config = kind == ServerKind.RedLive ? RedLiveSettings() : QuietLogs();
        config["Urls"] = $"http://127.0.0.1:{port}";
        if (kind == ServerKind.RedLive)
        {
            config["Hub:Mode"] = "Embedded";
            config["Auth:DevTokens"] = "true";
            config["Auth:SigningKey"] = LiveAuthOptions.DevelopmentKey;
            config["Cluster:SiloPort"] = LoopbackPorts.Pick().ToString(System.Globalization.CultureInfo.InvariantCulture);
            config["Cluster:GatewayPort"] = LoopbackPorts.Pick().ToString(System.Globalization.CultureInfo.InvariantCulture);
            config["Cluster:ClusterId"] = $"loadtest-{Guid.NewGuid():N}";
        }

        foreach (var (key, value) in settings)
        {
            config[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(config);
        WebApplication app;
        if (kind == ServerKind.RedLive)
        {
            builder.AddLiveHub();
            app = builder.Build();
            app.MapLiveHub();
        }
        else
        {
            builder.Services.AddSignalR().AddJsonProtocol().AddMessagePackProtocol();
            app = builder.Build();
            app.MapHub<BareHub>(BareHub.Path);
            app.MapGet("/health", () => Results.Ok());
        }

        // Diagnostics for the tool only, never part of RedLive: a full collection, then the managed heap and RSS.
        app.MapGet(MemoryPath, () =>
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            using var self = System.Diagnostics.Process.GetCurrentProcess();
            return new MemoryReading(GC.GetTotalMemory(false), self.WorkingSet64);
        });
        return app;
    }

    /// <summary>
    /// What every RedLive server the tool starts is configured with, embedded or a cluster's hubs and silos: quiet
    /// logs, and the limits that guard a public server against abuse raised where they would refuse the tool's own
    /// set-up or its loopback viewers (the hub's per-user limits still apply to the load).
    /// </summary>
    public static Dictionary<string, string?> RedLiveSettings()
    {
        var config = QuietLogs();

        // The scenarios set up hundreds of rooms and sales as one host.
        foreach (var kindOfWrite in (string[])["Product", "Room", "Sale", "Moderation"])
        {
            config[$"RateLimits:{kindOfWrite}WritesPerSecond"] = "10000";
            config[$"RateLimits:{kindOfWrite}WriteBurst"] = "10000";
        }

        // The tool's thousands of anonymous viewers all come from loopback: the per-address cap would refuse them, and
        // its checks (every sale of hundreds of rooms read back) share one address's REST reads.
        config["Hub:MaxAnonymousConnectionsPerAddress"] = "0";
        config["RateLimits:AnonymousReadsPerSecond"] = "100000";
        config["RateLimits:AnonymousReadBurst"] = "100000";
        return config;
    }

    private static Dictionary<string, string?> QuietLogs() => new()
    {
        ["Logging:LogLevel:Default"] = "Warning",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        // The tool serves no web viewer; its missing wwwroot is not worth a warning per server.
        ["Logging:LogLevel:Microsoft.AspNetCore.StaticFiles"] = "Error",
        // At silo stop, room grains write their state in OnDeactivateAsync after the memory storage grain is gone
        // and log a stack trace per room (a server-side shutdown-order issue, noted in docs/PERF.md). Keep the
        // load tool's console readable; errors while running still show through Orleans' other categories.
        ["Logging:LogLevel:Orleans.Grain"] = "Critical",
    };

    public static string HubPath(ServerKind kind) => kind == ServerKind.RedLive ? LiveHubExtensions.HubPath : BareHub.Path;

    public static async Task WaitHealthyAsync(Uri baseUri, TimeSpan timeout, Func<bool>? stillRunning = null)
    {
        using var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(5) };
        await Eventually.GetAsync(
            $"server at {baseUri} healthy",
            async () => stillRunning is null || stillRunning()
                ? (int)(await http.GetAsync("/health")).StatusCode
                : throw new InvalidOperationException($"the server process at {baseUri} exited before it was healthy"),
            status => status is >= 200 and < 300,
            timeout,
            TimeSpan.FromMilliseconds(100),
            retryOn: e => e is HttpRequestException or TaskCanceledException);
    }
}
