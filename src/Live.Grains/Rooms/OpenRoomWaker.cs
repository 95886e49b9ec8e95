using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Live.Grains.Rooms;

/// <summary>
/// Runs <see cref="OpenRoomSweep"/> in a silo: once shortly after the silo starts (a restart after a crash), then every
/// <see cref="LiveRoomOptions.OpenRoomSweep"/> (a silo's loss elsewhere in the cluster). Zero turns it off.
/// </summary>
public sealed partial class OpenRoomWaker(OpenRoomSweep sweep, IOptions<LiveRoomOptions> options, TimeProvider time, ILogger<OpenRoomWaker> logger) : BackgroundService
{
    /// <summary>How long after the silo's start the first sweep runs: the silo takes calls by then.</summary>
    private static readonly TimeSpan FirstSweep = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.OpenRoomSweep;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        try
        {
            await Task.Delay(FirstSweep, time, stoppingToken);
            using var timer = new PeriodicTimer(interval, time);
            do
            {
                try
                {
                    LogSwept(logger, await sweep.SweepAsync(stoppingToken));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    LogSweepFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The silo is stopping.
        }
    }

    [LoggerMessage(EventId = 1202, Level = LogLevel.Debug, Message = "Open-room sweep woke {Rooms} rooms")]
    private static partial void LogSwept(ILogger logger, int rooms);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Warning, Message = "The open-room sweep could not list the rooms; it tries again at the next interval")]
    private static partial void LogSweepFailed(ILogger logger, Exception exception);
}
