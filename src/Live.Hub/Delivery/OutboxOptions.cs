using System.ComponentModel.DataAnnotations;

namespace Live.Hub.Delivery;

/// <summary>
/// The hub server's outgoing queues (<c>Hub:Outbox</c>): each connection's bounds and how long a write may block, and
/// the bound of each room's inbox ahead of them.
/// </summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Hub:Outbox";

    /// <summary>Frames one connection may have queued behind the one being written.</summary>
    [Range(4, 100_000)]
    public int MaxFrames { get; set; } = 256;

    /// <summary>Bytes (as serialized for the connection's protocol) one connection may have queued, besides its newest frame.</summary>
    [Range(4096, 256L * 1024 * 1024)]
    public long MaxBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// A connection whose write has been blocked this long (it stopped reading) is closed; it resumes when it reconnects.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// A connection with a must-deliver event queued this long is closed; it resumes when it reconnects. This catches a
    /// viewer whose writes still complete now and then, each within <see cref="WriteTimeout"/>, but too slowly to keep
    /// up: its chat is dropped to the bounds, and this bounds how late it could see a sale end or a stream stop.
    /// </summary>
    public TimeSpan MustDeliverTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How often the server looks for blocked writes and late must-deliver events.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Room events (a chat message counts one) one room may have waiting on this server for its fan-out
    /// (<see cref="LocalDelivery.Post"/>). Nothing upstream waits for a fan-out (with the Redis relay a push is answered
    /// once published), so this bounds a room whose fan-out falls behind: past it the oldest chat goes first, then the
    /// oldest latest-value events, then the oldest of the rest, each a gap by seq that viewers close with
    /// <c>ResumeRoom</c>, counted (<c>redlive.hub.room_inbox.dropped</c>). The default is 10 s of a room at 1,000
    /// events a second; a fan-out takes whatever waits in one turn, so a healthy room holds far fewer. Memory: a
    /// chat message is about 0.5 KB in ordinary chat and at most about 2.7 KB, so 5 to 27 MB for a full room's inbox.
    /// </summary>
    [Range(4, 10_000_000)]
    public int MaxRoomInbox { get; set; } = 10_000;
}
