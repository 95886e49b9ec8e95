using System.ComponentModel.DataAnnotations;

namespace Live.Hosting;

/// <summary>The Redis every Redis-backed part (backplane, clustering, storage) uses.</summary>
public sealed class LiveRedisOptions
{
    public const string SectionName = "Redis";

    /// <summary>A StackExchange.Redis configuration string; empty means no Redis.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefixes every key and channel, so that several deployments can share one Redis.</summary>
    [Required(AllowEmptyStrings = true)]
    public string KeyPrefix { get; set; } = "redlive:";
}
