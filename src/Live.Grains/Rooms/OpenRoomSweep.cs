using Live.Contracts;
using Live.Contracts.Rooms;
using Microsoft.Extensions.Logging;

namespace Live.Grains.Rooms;

/// <summary>
/// Wakes every live room (only a live room sells): an activated room runs its tick, which asks its overdue flash sales
/// for their state, so they end, announce it and give their unsold units back (<c>LiveRoomGrain.WakeOverdueSalesAsync</c>).
/// A sale ends by its own timer, which dies with its activation: after a SIGKILL of the embedded server, or a silo's
/// loss with the room's activation on it, nothing else would wake a sale that nobody calls. Run by
/// <see cref="OpenRoomWaker"/> at a silo's start and then periodically; waking a room that is already active costs one
/// read-only call. A room listed live that answers it has ended is listed as it is.
/// </summary>
public sealed partial class OpenRoomSweep(IGrainFactory grains, ILogger<OpenRoomSweep> logger)
{
    /// <summary>Wakes the live rooms; answers how many answered.</summary>
    public async Task<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var rooms = await grains.GetGrain<IRoomDirectoryGrain>(0).ListAsync(RoomStatus.Live);
        var woken = 0;
        foreach (var room in rooms)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var actual = await grains.GetGrainByKey<ILiveRoomGrain>(room.Id).GetRoomAsync();
                woken++;
                if (actual.Status != room.Status)
                {
                    // Ended, and its activation died before it could tell the directory: the listing is corrected
                    // here, or the room would be listed live (and woken) for ever.
                    await grains.GetGrain<IRoomDirectoryGrain>(0).UpsertAsync(actual);
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                LogWakeFailed(logger, e, room.Id);
            }
        }

        return woken;
    }

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Room {RoomId} could not be woken by the open-room sweep; the next sweep tries again")]
    private static partial void LogWakeFailed(ILogger logger, Exception exception, string roomId);
}
