using System.Net;
using Live.Grains;
using Live.Hosting.Failover;
using Live.Grains.Ledger;
using Live.Grains.Rooms;
using Live.Storage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Dashboard;
using Orleans.Storage;
using StackExchange.Redis;

namespace Live.Hosting;

public static class LiveOrleansExtensions
{
    /// <summary>
    /// Hosts a RedLive silo in this process: clustering and storage as <see cref="LiveClusterOptions"/> say, and the
    /// grains' services. Used by Live.Silo and by Live.Hub's embedded mode.
    /// </summary>
    public static IHostApplicationBuilder AddLiveSilo(this IHostApplicationBuilder builder)
    {
        var (cluster, redis) = BindOptions(builder);
        if (cluster.Clustering == ClusteringKinds.Redis && cluster.Storage != StorageKinds.Redis)
        {
            // Each silo would keep its grains in a file (or a memory) of its own: after a silo's loss its sales, carts and
            // order books would come back on another silo reading another store, without their confirmed purchases.
            throw new InvalidOperationException(
                $"Cluster:Storage={cluster.Storage} keeps state in this silo alone, which other silos cannot read; with " +
                "Cluster:Clustering=Redis (silos on several machines) set Cluster:Storage=Redis (docs/OPERATIONS.md)");
        }

        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o => Identify(o, cluster));

            if (cluster.Clustering == ClusteringKinds.Redis)
            {
                silo.UseRedisClustering(o => RedisMembership(o, redis));
                silo.ConfigureEndpoints(AdvertisedAddress(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort, cluster.ListenOnAnyAddress);
            }
            else
            {
                var primary = new IPEndPoint(IPAddress.Loopback, cluster.PrimarySiloPort ?? cluster.SiloPort);
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, primary, cluster.ServiceId, cluster.ClusterId);
            }

            if (cluster.Storage == StorageKinds.Sqlite)
            {
                // Cluster:Sqlite tunes the writer (page cache, checkpoint length; docs/OPERATIONS.md); the file is DataPath's.
                var sqlite = builder.Configuration.GetSection("Cluster:Sqlite").Get<SqliteGrainStorageOptions>() ?? new SqliteGrainStorageOptions();
                sqlite.DatabasePath = Path.Combine(builder.Environment.ContentRootPath, cluster.DataPath, DatabaseFile);
                silo.Services.AddSqliteGrainStorage(StorageNames.Live, sqlite);
                // The flash sales' ledgers: tables of their own in the same file, through the same writer.
                silo.Services.AddSingleton(sp => new SqliteLedger((SqliteGrainStorage)sp.GetRequiredKeyedService<IGrainStorage>(StorageNames.Live)));
                silo.Services.AddSingleton<ILedgerStore>(sp => new SqliteLedgerStore(sp.GetRequiredService<SqliteLedger>()));
                // Reminders (an ended sale's compaction) in a table of the same file, through the same writer.
                silo.AddReminders();
                silo.Services.AddSingleton<IReminderTable>(sp => new SqliteReminderTable((SqliteGrainStorage)sp.GetRequiredKeyedService<IGrainStorage>(StorageNames.Live)));
            }
            else if (cluster.Storage == StorageKinds.Redis)
            {
                var configuration = RedisConfiguration(redis, "Cluster:Storage=Redis");
                silo.AddRedisGrainStorage(StorageNames.Live, o =>
                {
                    o.ConfigurationOptions = configuration;
                    o.GetStorageKey = (stateName, grainId) => new RedisKey($"{redis.KeyPrefix}state/{grainId}/{stateName}");
                });
                silo.Services.AddSingleton<ILedgerStore>(_ => new RedisLedgerStore(configuration, redis.KeyPrefix));
                silo.UseRedisReminderService(o => o.ConfigurationOptions = configuration);
            }
            else
            {
                silo.AddMemoryGrainStorage(StorageNames.Live);
                silo.Services.AddSingleton<ILedgerStore, MemoryLedgerStore>();
                silo.UseInMemoryReminderService();
            }

            // Failure detection tuned for a live show (docs/OPERATIONS.md, "Failover"), then anything under
            // "Cluster:Membership:*" (ProbeTimeout, NumMissedProbesLimit, ...) on top.
            silo.Configure<ClusterMembershipOptions>(LiveShowMembership);
            silo.Configure<ClusterMembershipOptions>(builder.Configuration.GetSection(MembershipSection));
            silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
            silo.Services.AddLiveGrains();
            // A sale whose activation died with its process still ends on time (OpenRoomSweep); silos only, not test clusters.
            silo.Services.AddHostedService<OpenRoomWaker>();
            silo.AddActivityPropagation();
            if (LiveTelemetry.DashboardWanted(builder.Configuration))
            {
                silo.AddDashboard();
            }
        });
        builder.AddLiveRedisHealth(cluster.Clustering == ClusteringKinds.Redis || cluster.Storage == StorageKinds.Redis);
        return builder;
    }

    /// <summary>Connects this process to a RedLive cluster as an Orleans client (the split deployment's hub servers).</summary>
    public static IHostApplicationBuilder AddLiveClusterClient(this IHostApplicationBuilder builder)
    {
        var (cluster, redis) = BindOptions(builder);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o => Identify(o, cluster));

            if (cluster.Clustering == ClusteringKinds.Redis)
            {
                client.UseRedisClustering(o => RedisMembership(o, redis));
            }
            else
            {
                var ports = cluster.GatewayPorts.Length > 0 ? cluster.GatewayPorts : [cluster.GatewayPort];
                client.UseStaticClustering(ports.Select(p => new IPEndPoint(IPAddress.Loopback, p)).ToArray());
            }

            client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);

            // A dead silo's gateway drops out of the list when its connection breaks; the periodic refresh (Orleans'
            // default: a minute) is what brings in new silos and forgets ones that vanished without a word.
            client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = TimeSpan.FromSeconds(5));
            client.Configure<GatewayOptions>(builder.Configuration.GetSection(GatewaySection));

            // A call that failed because a silo died is sent again when that is safe (Live.Hosting.Failover).
            client.Services.AddOptions<GrainCallRetryOptions>().BindConfiguration(GrainCallRetryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
            client.Services.AddSingleton(sp => new GrainCallRetryPolicy(sp.GetRequiredService<IOptions<GrainCallRetryOptions>>().Value));
            client.Services.AddSingleton<GatewayLoss>();
            client.AddGatewayCountChangedHandler(sp =>
            {
                var loss = sp.GetRequiredService<GatewayLoss>();
                return (_, e) => loss.GatewayCountChanged(e.NumberOfConnectedGateways, e.PreviousNumberOfConnectedGateways);
            });
            client.AddOutgoingGrainCallFilter<RetryingGrainCallFilter>();
            client.AddActivityPropagation();

            // A hub server may start before the silos: keep trying rather than fail the start.
            client.UseConnectionRetryFilter(async (_, cancellationToken) =>
            {
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                return true;
            });
        });
        builder.AddLiveRedisHealth(cluster.Clustering == ClusteringKinds.Redis);
        return builder;
    }

    /// <summary>
    /// Failure detection for a live show, where a buyer waits seconds, not a minute. A silo probes
    /// <see cref="ClusterMembershipOptions.NumProbedSilos"/> others (3) every <see cref="ClusterMembershipOptions.ProbeTimeout"/>
    /// and suspects one after <see cref="ClusterMembershipOptions.NumMissedProbesLimit"/> missed probes: 1 s and 2 (Orleans: 5 s
    /// and 3) declare a killed silo dead in about 2 s instead of about 15. Votes stay at Orleans' 2 (with two silos
    /// Orleans needs only one), so on a bigger cluster one stalled prober cannot evict a healthy silo alone, and indirect
    /// probes stay on. The membership table is re-read every 10 s (Orleans: 60 s) as a backstop to gossip.
    /// </summary>
    public static void LiveShowMembership(ClusterMembershipOptions options)
    {
        options.ProbeTimeout = TimeSpan.FromSeconds(1);
        options.NumMissedProbesLimit = 2;
        options.TableRefreshTimeout = TimeSpan.FromSeconds(10);
    }

    /// <summary>
    /// Registers a Redis health check (and the connection it pings) when this process depends on Redis, so that
    /// <c>/health</c> reports a Redis outage while the process stays up and reconnects.
    /// </summary>
    public static IHostApplicationBuilder AddLiveRedisHealth(this IHostApplicationBuilder builder, bool usesRedis)
    {
        if (!usesRedis || builder.Services.Any(d => d.ServiceType == typeof(LiveRedisConnection)))
        {
            return builder;
        }

        var redis = builder.Configuration.GetSection(LiveRedisOptions.SectionName).Get<LiveRedisOptions>() ?? new();
        builder.Services.AddSingleton(new LiveRedisConnection(RedisConfiguration(redis, "Redis health")));
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<RedisHealthCheck>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis");
        return builder;
    }

    /// <summary>
    /// Listens on <paramref name="fallback"/> unless the ASP.NET conventions (<c>--urls</c>, <c>ASPNETCORE_URLS</c>,
    /// <c>Urls</c>) name an address.
    /// </summary>
    public static void UseDefaultUrls(this Microsoft.AspNetCore.Builder.WebApplicationBuilder builder, string fallback)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(fallback);
        }
    }

    /// <summary>An IP address as it is, or a host name (a container's) resolved to its first IPv4 address.</summary>
    private static IPAddress AdvertisedAddress(string address) =>
        IPAddress.TryParse(address, out var ip)
            ? ip
            : Dns.GetHostAddresses(address).First(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork);

    private static void Identify(ClusterOptions options, LiveClusterOptions cluster)
    {
        options.ClusterId = cluster.ClusterId;
        options.ServiceId = cluster.ServiceId;
    }

    /// <summary>Silos and clients must agree on the membership key: both take it from here.</summary>
    private static void RedisMembership(Orleans.Clustering.Redis.RedisClusteringOptions options, LiveRedisOptions redis)
    {
        options.ConfigurationOptions = RedisConfiguration(redis, "Cluster:Clustering=Redis");
        options.CreateRedisKey = c => new RedisKey($"{redis.KeyPrefix}cluster/{c.ServiceId}/{c.ClusterId}");
    }

    /// <summary>The SQLite file in <see cref="LiveClusterOptions.DataPath"/> (with its <c>-wal</c> and <c>-shm</c> beside it).</summary>
    public const string DatabaseFile = "redlive.db";

    private const string MembershipSection = LiveClusterOptions.SectionName + ":Membership";
    private const string GatewaySection = LiveClusterOptions.SectionName + ":Gateway";

    private static (LiveClusterOptions Cluster, LiveRedisOptions Redis) BindOptions(IHostApplicationBuilder builder)
    {
        builder.Services.TryAddSingleton(sp => new ServingHealth(
            sp.GetService<TimeProvider>() ?? TimeProvider.System, sp.GetRequiredService<IOptions<LiveClusterOptions>>().Value.HealthGrace));
        builder.Services.AddOptions<LiveClusterOptions>().BindConfiguration(LiveClusterOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<LiveRedisOptions>().BindConfiguration(LiveRedisOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var cluster = builder.Configuration.GetSection(LiveClusterOptions.SectionName).Get<LiveClusterOptions>() ?? new();
        var redis = builder.Configuration.GetSection(LiveRedisOptions.SectionName).Get<LiveRedisOptions>() ?? new();
        return (cluster, redis);
    }

    private static ConfigurationOptions RedisConfiguration(LiveRedisOptions redis, string needer)
    {
        if (string.IsNullOrWhiteSpace(redis.ConnectionString))
        {
            throw new InvalidOperationException($"{needer} needs Redis:ConnectionString");
        }

        var configuration = ConfigurationOptions.Parse(redis.ConnectionString);
        configuration.AbortOnConnectFail = false;
        return configuration;
    }
}
