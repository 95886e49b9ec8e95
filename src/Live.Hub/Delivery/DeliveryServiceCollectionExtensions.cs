using Live.Hub.Realtime;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.StackExchangeRedis;

namespace Live.Hub.Delivery;

public static class DeliveryServiceCollectionExtensions
{
    /// <summary>
    /// Room events through per-connection outboxes (<see cref="OutboxHubLifetimeManager{THub}"/>), relayed across hub
    /// servers by one Redis publish each when <paramref name="redisBackplane"/>. Call after <c>AddSignalR</c> (and its
    /// Redis backplane): the hub's lifetime manager registered here wraps SignalR's.
    /// </summary>
    public static IServiceCollection AddLiveDelivery(this IServiceCollection services, bool redisBackplane)
    {
        services.AddOptions<OutboxOptions>().BindConfiguration(OutboxOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FrameBudgetOptions>().BindConfiguration(FrameBudgetOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<DeliveryMetrics>();
        services.AddSingleton<LocalDelivery>();
        if (redisBackplane)
        {
            services.AddSingleton<RedisRoomRelay>();
            services.AddSingleton<IRoomRelay>(sp => sp.GetRequiredService<RedisRoomRelay>());
            services.AddHostedService(sp => sp.GetRequiredService<RedisRoomRelay>());
            services.AddSingleton<RedisHubLifetimeManager<LiveHub>>();
            services.AddSingleton<HubLifetimeManager<LiveHub>>(sp => new OutboxHubLifetimeManager<LiveHub>(
                sp.GetRequiredService<RedisHubLifetimeManager<LiveHub>>(), sp.GetRequiredService<LocalDelivery>(), sp.GetRequiredService<IRoomRelay>()));
        }
        else
        {
            services.AddSingleton<IRoomRelay, LocalRoomRelay>();
            services.AddSingleton<DefaultHubLifetimeManager<LiveHub>>();
            services.AddSingleton<HubLifetimeManager<LiveHub>>(sp => new OutboxHubLifetimeManager<LiveHub>(
                sp.GetRequiredService<DefaultHubLifetimeManager<LiveHub>>(), sp.GetRequiredService<LocalDelivery>(), sp.GetRequiredService<IRoomRelay>()));
        }

        services.AddHostedService<OutboxSweeper>();
        return services;
    }
}
