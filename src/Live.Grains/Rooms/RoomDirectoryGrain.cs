using Live.Contracts.Rooms;

namespace Live.Grains.Rooms;

internal sealed class RoomDirectoryGrain(
    [PersistentState(StateNames.RoomDirectory, StorageNames.Live)] IPersistentState<RoomDirectoryState> state)
    : Grain, IRoomDirectoryGrain
{
    async Task IRoomDirectoryGrain.UpsertAsync(Room room)
    {
        state.State.Rooms[room.Id] = room;
        await state.WriteStateAsync();
    }

    Task<IReadOnlyList<Room>> IRoomDirectoryGrain.ListAsync(string? status) =>
        Task.FromResult<IReadOnlyList<Room>>(state.State.Rooms.Values
            .Where(r => status is null || r.Status == status)
            .OrderByDescending(r => r.StartedAt ?? r.CreatedAt)
            .ToArray());
}
