using System.Collections.Concurrent;
using Live.Contracts;

namespace Live.Hub.Realtime;

/// <summary>
/// This hub server's connections: whose they are and which rooms they joined. The hub's handlers use it to check
/// "joined" and the per-user connection limit and to find a buyer's connections; moderation uses it to take a
/// banned user's connections out of a room.
/// </summary>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, Entry> _connections = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, byte>> _byUser = new(StringComparer.Ordinal);

    /// <summary>Registers a connection; answers how many connections its user now has on this server.</summary>
    public int Connected(string connectionId, string? userId)
    {
        _connections[connectionId] = new Entry(userId);
        if (userId is null)
        {
            return 0;
        }

        var mine = _byUser.GetOrAdd(userId, _ => new ConcurrentDictionary<string, byte>(StringComparer.Ordinal));
        mine[connectionId] = 0;
        return mine.Count;
    }

    /// <summary>Forgets a connection; answers the rooms it had joined.</summary>
    public IReadOnlyList<string> Disconnected(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var entry))
        {
            return [];
        }

        if (entry.UserId is not null && _byUser.TryGetValue(entry.UserId, out var mine))
        {
            mine.TryRemove(connectionId, out _);
            if (mine.IsEmpty)
            {
                _byUser.TryRemove(new KeyValuePair<string, ConcurrentDictionary<string, byte>>(entry.UserId, mine));
            }
        }

        lock (entry.Rooms)
        {
            var rooms = entry.Rooms.ToArray();
            entry.Rooms.Clear();
            return rooms;
        }
    }

    /// <summary>Marks the room joined; true when it was not already. Refuses past <paramref name="maxRooms"/>.</summary>
    public bool Join(string connectionId, string roomId, int maxRooms)
    {
        var entry = Get(connectionId);
        lock (entry.Rooms)
        {
            if (entry.Rooms.Contains(roomId))
            {
                return false;
            }

            if (entry.Rooms.Count >= maxRooms)
            {
                throw LiveException.Conflict($"a connection may join at most {maxRooms} rooms");
            }

            return entry.Rooms.Add(roomId);
        }
    }

    public bool Leave(string connectionId, string roomId)
    {
        if (!_connections.TryGetValue(connectionId, out var entry))
        {
            return false;
        }

        lock (entry.Rooms)
        {
            return entry.Rooms.Remove(roomId);
        }
    }

    public bool IsJoined(string connectionId, string roomId)
    {
        var entry = Get(connectionId);
        lock (entry.Rooms)
        {
            return entry.Rooms.Contains(roomId);
        }
    }

    public IReadOnlyList<string> ConnectionsOf(string userId) =>
        _byUser.TryGetValue(userId, out var mine) ? mine.Keys.ToArray() : [];

    private Entry Get(string connectionId) =>
        _connections.TryGetValue(connectionId, out var entry)
            ? entry
            : throw new InvalidOperationException($"connection {connectionId} is not registered");

    private sealed record Entry(string? UserId)
    {
        public HashSet<string> Rooms { get; } = new(StringComparer.Ordinal);
    }
}
