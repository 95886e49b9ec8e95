using Live.Grains.Catalog;
using Live.Grains.FlashSales;
using Live.Grains.Notifications;
using Live.Grains.Rooms;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Live.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>What RedLive's grains need in a silo: their options, the clock and the room-event notifier.</summary>
    public static IServiceCollection AddLiveGrains(this IServiceCollection services)
    {
        services.AddOptions<LiveRoomOptions>().BindConfiguration(LiveRoomOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FlashSaleOptions>().BindConfiguration(FlashSaleOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<CatalogOptions>().BindConfiguration(CatalogOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RoomEventPublisher>();
        services.AddSingleton<IRoomEventSink>(sp => sp.GetRequiredService<RoomEventPublisher>());
        services.AddHostedService(sp => sp.GetRequiredService<RoomEventPublisher>());
        return services;
    }
}
