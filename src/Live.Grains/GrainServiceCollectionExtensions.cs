using Live.Contracts.Notifications;
using Live.Grains.FlashSales;
using Live.Grains.Idempotency;
using Live.Grains.Ledger;
using Live.Grains.Notifications;
using Live.Grains.Rooms;
using Live.Grains.Sellers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Storage;

namespace Live.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>
    /// What RedLive's grains need in a silo: their options, the clock, the room-event notifier and the format of
    /// their stored state.
    /// </summary>
    /// <remarks>
    /// State is stored in the Orleans binary format rather than Orleans' default Newtonsoft JSON: a flash sale's
    /// state (every answered request id) is written once per group commit throughout a rush, and the JSON writer was
    /// the largest working frame of the rush's profile (docs/PERF.md §7). The state types are all
    /// <c>[GenerateSerializer]</c> with stable <c>[Id]</c>s, so the format is version tolerant. Memory and Redis
    /// grain storage take the serializer registered here unless their options name another.
    /// </remarks>
    public static IServiceCollection AddLiveGrains(this IServiceCollection services)
    {
        services.AddOptions<LiveRoomOptions>().BindConfiguration(LiveRoomOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<FlashSaleOptions>().BindConfiguration(FlashSaleOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SellerOptions>().BindConfiguration(SellerOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IdempotencyOptions>().BindConfiguration(IdempotencyOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<RoomDirectoryOptions>().BindConfiguration(RoomDirectoryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<NotificationOptions>().BindConfiguration(NotificationOptions.SectionName);
        services.TryAddSingleton(TimeProvider.System);

        // The flash sales' ledgers: the host registers the store of its storage kind first; memory otherwise.
        services.TryAddSingleton<ILedgerStore, MemoryLedgerStore>();
        services.AddSingleton<IGrainStorageSerializer, OrleansGrainStorageSerializer>();
        services.AddSingleton<RoomEventPublisher>();
        services.AddSingleton<IRoomEventPublisher>(sp => sp.GetRequiredService<RoomEventPublisher>());
        services.AddHostedService(sp => sp.GetRequiredService<RoomEventPublisher>());
        services.AddSingleton<OpenRoomSweep>();
        return services;
    }
}
