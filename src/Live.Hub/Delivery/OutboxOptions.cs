using System.ComponentModel.DataAnnotations;

namespace Live.Hub.Delivery;

/// <summary>Each connection's outgoing queue (<c>Hub:Outbox</c>): its bounds and how long a write may block.</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Hub:Outbox";

    /// <summary>Frames one connection may have queued behind the one being written.</summary>
    [Range(4, 100_000)]
    public int MaxFrames { get; set; } = 256;

    /// <summary>Bytes (as serialized for the connection's protocol) one connection may have queued.</summary>
    [Range(4096, 256L * 1024 * 1024)]
    public long MaxBytes { get; set; } = 1024 * 1024;

    /// <summary>
    /// A connection whose write has been blocked this long (it stopped reading) is closed; it resumes when it reconnects.
    /// </summary>
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the server looks for blocked writes.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(1);
}
