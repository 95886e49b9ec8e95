using Microsoft.Extensions.Options;

namespace Live.Hub.Delivery;

/// <summary>Closes connections whose writes stay blocked (<see cref="OutboxOptions.WriteTimeout"/>) or whose must-deliver events wait too long (<see cref="OutboxOptions.MustDeliverTimeout"/>), and refreshes the frame budget's busy viewers.</summary>
internal sealed class OutboxSweeper(
    LocalDelivery delivery,
    IOptions<OutboxOptions> options,
    TimeProvider time,
    ILogger<OutboxSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SweepInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (delivery.Sweep() is > 0 and var closed)
                    {
                        DeliveryLog.ClosedBlocked(logger, closed, options.Value.WriteTimeout, options.Value.MustDeliverTimeout);
                    }
                }
                catch (Exception ex)
                {
                    DeliveryLog.SweepFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
