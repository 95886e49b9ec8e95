using Live.Contracts.Rooms;
using Microsoft.Extensions.Options;

namespace Live.Grains.Rooms;

internal sealed class RoomDirectoryGrain(
    [PersistentState(StateNames.RoomDirectory, StorageNames.Live)] IPersistentState<RoomDirectoryState> state,
    IOptions<RoomDirectoryOptions> options,
    TimeProvider time)
    : Grain, IRoomDirectoryGrain, IIncomingGrainCallFilter
{
    private StateWriter? _writer;

    // Every write goes through it: after a failed write this activation answers nothing and is replaced.
    private StateWriter Writer => _writer ??= new StateWriter(ct => state.WriteStateAsync(ct), DeactivateOnIdle, "room directory");

    /// <summary>After a failed write this activation answers nothing: the next call reloads from storage.</summary>
    public Task Invoke(IIncomingGrainCallContext context)
    {
        Writer.ThrowIfBroken();
        return context.Invoke();
    }

    async Task IRoomDirectoryGrain.UpsertAsync(Room room)
    {
        state.State.Rooms[room.Id] = room;

        // Bounded as it is written: an ended room past the newest EndedRoomsKept, and a scheduled room older than
        // ScheduledRoomsKeptFor or past the newest ScheduledRoomsKept, leave the listing with this write.
        RoomDirectoryRules.Trim(state.State.Rooms, options.Value.EndedRoomsKept);
        RoomDirectoryRules.DropStaleScheduled(state.State.Rooms, time.GetUtcNow() - options.Value.ScheduledRoomsKeptFor, options.Value.ScheduledRoomsKept);
        await Writer.WriteAsync();
    }

    Task<IReadOnlyList<Room>> IRoomDirectoryGrain.ListAsync(string? status) =>
        Task.FromResult<IReadOnlyList<Room>>(state.State.Rooms.Values
            .Where(r => status is null || r.Status == status)
            .OrderByDescending(r => r.StartedAt ?? r.CreatedAt)
            .ToArray());
}
