using System.Net;
using Live.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
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
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });

            if (cluster.Clustering == ClusteringKinds.Redis)
            {
                var configuration = RedisConfiguration(redis, "Cluster:Clustering=Redis");
                silo.UseRedisClustering(o =>
                {
                    o.ConfigurationOptions = configuration;
                    o.CreateRedisKey = c => new RedisKey($"{redis.KeyPrefix}cluster/{c.ServiceId}/{c.ClusterId}");
                });
                silo.ConfigureEndpoints(IPAddress.Parse(cluster.AdvertisedAddress), cluster.SiloPort, cluster.GatewayPort);
            }
            else
            {
                var primary = new IPEndPoint(IPAddress.Loopback, cluster.PrimarySiloPort ?? cluster.SiloPort);
                silo.UseLocalhostClustering(cluster.SiloPort, cluster.GatewayPort, primary, cluster.ServiceId, cluster.ClusterId);
            }

            if (cluster.Storage == StorageKinds.Redis)
            {
                var configuration = RedisConfiguration(redis, "Cluster:Storage=Redis");
                silo.AddRedisGrainStorage(StorageNames.Live, o =>
                {
                    o.ConfigurationOptions = configuration;
                    o.GetStorageKey = (stateName, grainId) => new RedisKey($"{redis.KeyPrefix}state/{grainId}/{stateName}");
                });
            }
            else
            {
                silo.AddMemoryGrainStorage(StorageNames.Live);
            }

            silo.Services.AddLiveGrains();
        });
        return builder;
    }

    /// <summary>Connects this process to a RedLive cluster as an Orleans client (the split deployment's hub servers).</summary>
    public static IHostApplicationBuilder AddLiveClusterClient(this IHostApplicationBuilder builder)
    {
        var (cluster, redis) = BindOptions(builder);
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });

            if (cluster.Clustering == ClusteringKinds.Redis)
            {
                var configuration = RedisConfiguration(redis, "Cluster:Clustering=Redis");
                client.UseRedisClustering(o =>
                {
                    o.ConfigurationOptions = configuration;
                    o.CreateRedisKey = c => new RedisKey($"{redis.KeyPrefix}cluster/{c.ServiceId}/{c.ClusterId}");
                });
            }
            else
            {
                var ports = cluster.GatewayPorts.Length > 0 ? cluster.GatewayPorts : [cluster.GatewayPort];
                client.UseStaticClustering(ports.Select(p => new IPEndPoint(IPAddress.Loopback, p)).ToArray());
            }
        });
        return builder;
    }

    private static (LiveClusterOptions Cluster, LiveRedisOptions Redis) BindOptions(IHostApplicationBuilder builder)
    {
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
