namespace Live.Contracts.Rooms;

/// <summary>The index of rooms behind <c>GET /api/rooms</c>; rooms report each lifecycle change.</summary>
[Alias("live.IRoomDirectoryGrain")]
public interface IRoomDirectoryGrain : IGrainWithIntegerKey
{
    [Alias("Upsert")]
    Task UpsertAsync(Room room);

    /// <summary>Rooms with the given status (all when null), newest first.</summary>
    [Alias("List"), ReadOnly]
    Task<IReadOnlyList<Room>> ListAsync(string? status);
}
