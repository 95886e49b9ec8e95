using System.ComponentModel.DataAnnotations;

namespace Live.Grains.Idempotency;

/// <summary>How long a request id's answer is kept, so that a retry of it gets the same answer.</summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>
    /// An answer is kept at least this long after it was given (24 hours by default, as payment APIs keep their
    /// idempotency keys); after that it may be compacted, and a retry of its id is treated as a new request.
    /// </summary>
    [Range(typeof(TimeSpan), "00:01:00", "365.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromHours(24);
}
