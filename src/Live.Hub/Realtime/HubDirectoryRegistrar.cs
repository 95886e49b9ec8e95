using Live.Contracts.Notifications;
using Microsoft.Extensions.Options;

namespace Live.Hub.Realtime;

/// <summary>
/// Keeps this hub server's observer registered in the hub directory, so the silos can push room events to it.
/// Re-registers every heartbeat: a reactivated directory or a reconnected client is whole again within one.
/// </summary>
internal sealed class HubDirectoryRegistrar(
    IGrainFactory grains,
    HubRoomEventObserver observer,
    HubIdentity identity,
    IOptions<NotificationOptions> options,
    TimeProvider time,
    ILogger<HubDirectoryRegistrar> logger) : BackgroundService
{
    private IRoomEventObserver? _reference;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var directory = grains.GetGrain<IHubDirectoryGrain>(0);
        while (!stoppingToken.IsCancellationRequested)
        {
            var delay = options.Value.HubHeartbeat;
            try
            {
                _reference ??= grains.CreateObjectReference<IRoomEventObserver>(observer);
                await directory.RegisterAsync(new HubRegistration
                {
                    HubId = identity.HubId,
                    Backplane = identity.Backplane,
                    Observer = _reference,
                });
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                RealtimeLog.RegisterFailed(logger, ex, identity.HubId);
                delay = TimeSpan.FromSeconds(1);
            }

            try
            {
                await Task.Delay(delay, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await grains.GetGrain<IHubDirectoryGrain>(0).UnregisterAsync(identity.HubId).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception ex)
        {
            RealtimeLog.UnregisterFailed(logger, ex, identity.HubId);
        }

        if (_reference is not null)
        {
            grains.DeleteObjectReference<IRoomEventObserver>(_reference);
        }
    }
}
