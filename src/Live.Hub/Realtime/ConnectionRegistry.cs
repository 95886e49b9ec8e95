using System.Collections.Concurrent;
using Live.Contracts;

namespace Live.Hub.Realtime;

/// <summary>
/// This hub server's connections: whose they are, where anonymous ones come from, and which rooms they joined. The
/// hub's handlers use it to check "joined", the per-user and per-address connection limits and to find a buyer's
/// connections; moderation uses it to take a banned user's connections out of a room.
/// </summary>
/// <remarks>
/// The per-user and per-address indexes change under one lock: "the user's last connection left, drop the user"
/// and "a new connection of that user arrived" must not interleave, or the new connection is added to a set that is
/// being dropped and vanishes from the index. Connects and disconnects are rare next to hub calls, and the lock is
/// held for a few dictionary operations, so one lock costs nothing measurable; lookups per call
/// (<see cref="IsJoined"/>) do not take it.
/// </remarks>
public sealed class ConnectionRegistry
{
    private readonly ConcurrentDictionary<string, Entry> _connections = new(StringComparer.Ordinal);
    private readonly Lock _indexLock = new();
    private readonly Dictionary<string, HashSet<string>> _byUser = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _anonymousByAddress = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers a connection; answers how many connections its user now has on this server or, for an anonymous
    /// connection, how many anonymous connections its client address has (0 when the address is unknown).
    /// </summary>
    public int Connected(string connectionId, string? userId, string? address = null)
    {
        var entry = new Entry(userId, userId is null ? address : null);
        _connections[connectionId] = entry;
        lock (_indexLock)
        {
            if (userId is not null)
            {
                if (!_byUser.TryGetValue(userId, out var mine))
                {
                    mine = new HashSet<string>(StringComparer.Ordinal);
                    _byUser[userId] = mine;
                }

                mine.Add(connectionId);
                return mine.Count;
            }

            if (entry.Address is null)
            {
                return 0;
            }

            var count = _anonymousByAddress.GetValueOrDefault(entry.Address) + 1;
            _anonymousByAddress[entry.Address] = count;
            return count;
        }
    }

    /// <summary>Forgets a connection; answers the rooms it had joined, or null when it was not registered.</summary>
    public IReadOnlyList<string>? Disconnected(string connectionId)
    {
        if (!_connections.TryRemove(connectionId, out var entry))
        {
            return null;
        }

        lock (_indexLock)
        {
            if (entry.UserId is not null && _byUser.TryGetValue(entry.UserId, out var mine))
            {
                mine.Remove(connectionId);
                if (mine.Count == 0)
                {
                    _byUser.Remove(entry.UserId);
                }
            }
            else if (entry.Address is not null && _anonymousByAddress.TryGetValue(entry.Address, out var count))
            {
                // Entries of addresses with no connection left go, so the index is bounded by open connections.
                if (count <= 1)
                {
                    _anonymousByAddress.Remove(entry.Address);
                }
                else
                {
                    _anonymousByAddress[entry.Address] = count - 1;
                }
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

    public IReadOnlyList<string> ConnectionsOf(string userId)
    {
        lock (_indexLock)
        {
            return _byUser.TryGetValue(userId, out var mine) ? mine.ToArray() : [];
        }
    }

    /// <summary>Anonymous connections open from <paramref name="address"/> on this server.</summary>
    public int AnonymousFrom(string address)
    {
        lock (_indexLock)
        {
            return _anonymousByAddress.GetValueOrDefault(address);
        }
    }

    private Entry Get(string connectionId) =>
        _connections.TryGetValue(connectionId, out var entry)
            ? entry
            : throw new InvalidOperationException($"connection {connectionId} is not registered");

    private sealed record Entry(string? UserId, string? Address)
    {
        public HashSet<string> Rooms { get; } = new(StringComparer.Ordinal);
    }
}
