using Live.Contracts;
using Live.Contracts.Rooms;

namespace Live.Grains.Rooms;

/// <summary>
/// A room's lifecycle, scheduled → live → ended: who may drive it and what each status allows. Starting and ending
/// are idempotent; an ended room stays ended.
/// </summary>
internal sealed class RoomLifecycle(string roomId)
{
    /// <summary>
    /// A new scheduled room; <c>conflict</c> when the room exists, unless this is its host's same request again, which
    /// answers the existing room.
    /// </summary>
    public Room Create(Room? existing, string hostId, NewRoom input, DateTimeOffset now)
    {
        if (existing is not null)
        {
            // Room ids are chosen by the server, so the same id with the same host and text is the same request sent
            // again (a hub server retrying after a silo's loss): it answers the room, as the first did.
            return IsRepeat(existing, hostId, input) ? existing : throw LiveException.Conflict($"room {roomId} already exists");
        }

        ArgumentNullException.ThrowIfNull(input);
        return new Room
        {
            Id = roomId,
            HostId = hostId,
            Title = TextRules.Require(input.Title, "title", 120),
            Description = TextRules.Optional(input.Description, "description", 2000, allowNewLines: true),
            Status = RoomStatus.Scheduled,
            CreatedAt = now,
        };
    }

    private static bool IsRepeat(Room existing, string hostId, NewRoom? input)
    {
        try
        {
            return input is not null
                && existing.HostId == hostId
                && existing.Title == TextRules.Require(input.Title, "title", 120)
                && existing.Description == TextRules.Optional(input.Description, "description", 2000, allowNewLines: true);
        }
        catch (LiveException)
        {
            return false;
        }
    }

    public Room Current(Room? room) => room ?? throw LiveException.NotFound($"room {roomId} not found");

    public Room RequireHost(Room? room, string hostId)
    {
        var current = Current(room);
        if (current.HostId != hostId)
        {
            throw LiveException.Forbidden($"only the host of room {roomId} may do that");
        }

        return current;
    }

    /// <summary>Pins and sales need the show to be on.</summary>
    public Room RequireLiveHost(Room? room, string hostId)
    {
        var current = RequireHost(room, hostId);
        if (current.Status != RoomStatus.Live)
        {
            throw LiveException.Conflict($"room {roomId} is not live");
        }

        return current;
    }

    /// <summary>Chat and likes are open before the show and during it, not after.</summary>
    public Room RequireOpen(Room? room)
    {
        var current = Current(room);
        if (current.Status == RoomStatus.Ended)
        {
            throw LiveException.Conflict($"room {roomId} has ended");
        }

        return current;
    }

    /// <summary>The room gone live, or null when it already was.</summary>
    public Room? Start(Room room, DateTimeOffset now) => room.Status switch
    {
        RoomStatus.Live => null,
        RoomStatus.Ended => throw LiveException.Conflict($"room {roomId} has ended and cannot start again"),
        _ => room with { Status = RoomStatus.Live, StartedAt = now },
    };

    public static bool HasEnded(Room room) => room.Status == RoomStatus.Ended;

    public static Room End(Room room, DateTimeOffset now) => room with { Status = RoomStatus.Ended, EndedAt = now };
}
