using System.ComponentModel.DataAnnotations;

namespace Live.Grains.Rooms;

/// <summary>Room timing (how chat is batched, how counters are coalesced) and the bounds of a room's state.</summary>
public sealed class LiveRoomOptions
{
    public const string SectionName = "Rooms";

    /// <summary>
    /// The room tick (likes, viewer counts, write-behind) and the pace of a busy room's chat: the room earns one
    /// <c>ChatBatch</c> per tick (<see cref="ChatBurst"/>).
    /// </summary>
    public TimeSpan ChatTick { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How many chat batches a room may keep unspent: a message that finds one goes out at once, alone; a room that
    /// keeps sending faster than one batch a <see cref="ChatTick"/> is batched at one per tick once they are spent.
    /// </summary>
    [Range(1, 1000)]
    public int ChatBurst { get; set; } = 5;

    /// <summary>At most one <c>LikesUpdated</c> per interval.</summary>
    public TimeSpan LikesInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>At most one <c>ViewerCount</c> per interval.</summary>
    public TimeSpan ViewersInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The latest-value events' budget (<see cref="ValuePacing"/>): each kind of them (the viewer count, the like total,
    /// each selling sale's progress) goes to every viewer of the room, so a room aims to send each kind at most this
    /// many viewer-frames a second. A kind's interval is its own or viewers / this seconds, whichever is longer: at the
    /// default the viewer count (1 s) slows in rooms of over 2,000 viewers, the like total (500 ms) over 1,000 and a
    /// sale's progress (sent by the sale every 250 ms) over 500; a room of 5,000 sends each kind every 2.5 s. Each
    /// selling sale is a kind of its own. Measured in docs/PERF.md §33.
    /// </summary>
    [Range(100, 10_000_000)]
    public int ValueFramesPerSecond { get; set; } = 2_000;

    /// <summary>The longest a changed latest-value event waits, however big the room (when its own interval is shorter).</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MaxValueInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>A hub's viewer report older than this no longer counts (the hub is taken for gone).</summary>
    public TimeSpan ViewerReportExpiry { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Chat and likes are written behind, at most once per interval (commerce is always written before it answers).
    /// </summary>
    public TimeSpan PersistInterval { get; set; } = TimeSpan.FromSeconds(1);

    [Range(1, 1000)]
    public int RecentChatSize { get; set; } = 50;

    [Range(1, 10_000)]
    public int MaxLikesPerCall { get; set; } = 100;

    /// <summary>
    /// The room's retained window keeps at least its last this many events (each chat message counts one), so a viewer
    /// can resume (<c>ResumeRoom</c>) on any hub server.
    /// </summary>
    [Range(0, 1_000_000)]
    public int RetainedEvents { get; set; } = 1000;

    /// <summary>... and at least every event of this last stretch of time.</summary>
    public TimeSpan RetainedFor { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// ... but never more than this many: the bound on a room's memory, which wins over <see cref="RetainedFor"/>, so a
    /// room faster than this many per <see cref="RetainedFor"/> keeps only its last this many. The default covers
    /// 250 events a second for the 2 minutes (a busy room's chat; 10,000 covered only about 83 a second). What it costs
    /// a room that fills it: a retained chat message is at most 500 characters (up to 1,000 UTF-16 chars outside the
    /// BMP), a display name of 50 and ids of 64, about 2.7 KB in memory in the worst case, so up to about 80 MB per
    /// room at the default; ordinary chat (tens of characters, about 0.5 KB a message) about 15 MB. A room below
    /// the rate holds only its last <see cref="RetainedFor"/>. The same events are the room's handoff on a graceful
    /// deactivation (<see cref="RetainedHandoff"/>): one state write of that size, once.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxRetainedEvents { get; set; } = 30_000;

    /// <summary>
    /// ... and never more than about this many bytes of events (an estimate of their size in memory, as
    /// <see cref="MaxRetainedEvents"/> of the longest chat would be about 80 MB): the bound on a room's memory, on a
    /// resume's answer (which is at most the window) and on the room's handoff. The default, 16 MiB, holds 30,000
    /// messages of ordinary chat, and always far more than <see cref="RetainedEvents"/> of the longest.
    /// </summary>
    [Range(1_048_576, 1_073_741_824)]
    public long MaxRetainedBytes { get; set; } = 16L * 1024 * 1024;

    /// <summary>
    /// How many event numbers the room reserves in storage at a time, so that a new activation starts above every
    /// number used without a write per event (one write per this many events, or fewer).
    /// </summary>
    [Range(16, 10_000_000)]
    public int SequenceBlock { get; set; } = 10_000;

    /// <summary>
    /// How often an open room publishes <c>RoomHeartbeat</c> (its epoch and newest seq: one publish per room, not per
    /// viewer), so that a viewer whose last events were lost sees the gap while the room is quiet; zero turns it off.
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often a silo wakes every live room (and once shortly after it starts), so that a flash sale
    /// whose activation died with its process (a SIGKILL, a silo's loss) still ends on time and gives its unsold units
    /// back without waiting for someone to call its room; zero turns it off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan OpenRoomSweep { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// A live room with no viewer on any hub server and no event for this long is ended as its host would end it (its
    /// sales end and give their unsold units back; viewers get <c>StreamEnded</c>): a host whose console died without
    /// ending the show does not leave it live for good. Zero turns it off.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan EndIdleAfter { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How many users a room may ban: the bans are part of the room's state, rewritten whole with each of its writes
    /// and handed to every sale it opens, so they are bounded (past it a ban answers <c>conflict</c>).
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxBans { get; set; } = 10_000;

    /// <summary>
    /// How many flash sales a room may have open at once: each is in the room's state (rewritten with each of its writes
    /// and in every snapshot), keeps its sale grain ticking, and holds a reservation on its product, so they are bounded
    /// (past it a new sale answers <c>conflict</c> and nothing is started).
    /// </summary>
    [Range(1, 1_000)]
    public int MaxOpenSales { get; set; } = 20;

    /// <summary>How many moderators a room's host may assign (past it an assignment answers <c>conflict</c>).</summary>
    [Range(1, 10_000)]
    public int MaxModerators { get; set; } = 100;

    /// <summary>
    /// How long a room remembers the id of a chat message or a like it took, so that the same call sent again by a hub
    /// server (a retry across a silo's loss, within <c>Cluster:Retry:Budget</c>) is answered as the first was and
    /// not done twice (<see cref="RepeatedCalls{T}"/>).
    /// </summary>
    public TimeSpan RepeatWindow { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>At most this many such ids per room (each of chat and likes); the oldest are forgotten first.</summary>
    [Range(100, 1_000_000)]
    public int MaxRepeatIds { get; set; } = 10_000;
}
